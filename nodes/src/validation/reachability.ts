import type { Flow } from './edgeChecks';
import { type NodeIndex, nodeName, type Report, upperFirst, waits } from './nodeIndex';

/** Warns about nodes no conversation can reach, and about free-form sends that may come after a wait. */
export function checkReachability(index: NodeIndex, flow: Flow, report: Report): void {
  // Without a trigger every node is unreachable; `no_trigger` already says what is wrong.
  if (index.triggers.length === 0) return;
  const reached = reachableFrom(
    index.triggers.map((trigger) => trigger.node.id),
    flow,
  );
  for (const info of index.byId.values()) {
    if (reached.has(info.node.id)) continue;
    report({
      severity: 'warning',
      code: 'unreachable_node',
      nodeId: info.node.id,
      message: `${upperFirst(nodeName(info))} cannot be reached from the trigger, so it will never run; connect it or delete it.`,
    });
  }

  // The customer's 24-hour window is counted from their last message, and a waiting node can hold a
  // conversation for hours or days; what runs after it may find the window closed.
  const afterWait = reachableFrom(
    [...reached].filter((id) => {
      const info = index.byId.get(id);
      return info !== undefined && waits(info) === true;
    }),
    flow,
    { includeStarts: false },
  );
  for (const id of afterWait) {
    const info = index.byId.get(id);
    if (!info?.nodeType || info.nodeType.category === 'trigger' || !info.nodeType.sendsToCustomer) continue;
    if (usesTemplate(info.config ?? info.node.config)) continue;
    report({
      severity: 'warning',
      code: 'may_send_outside_window',
      nodeId: id,
      message: `${upperFirst(nodeName(info))} may run more than 24 h after the customer's last message; free-form messages are refused then — use a template or a fallback.`,
    });
  }
}

/** Node ids reachable from `starts` along the flow; the starts themselves only if asked (or re-reached). */
function reachableFrom(
  starts: readonly string[],
  flow: Flow,
  { includeStarts = true }: { includeStarts?: boolean } = {},
): Set<string> {
  const reached = new Set<string>(includeStarts ? starts : []);
  const queue = includeStarts ? [...starts] : starts.flatMap((id) => flow.successors.get(id) ?? []);
  for (const id of queue) reached.add(id);
  for (let i = 0; i < queue.length; i++) {
    for (const next of flow.successors.get(queue[i] as string) ?? []) {
      if (reached.has(next)) continue;
      reached.add(next);
      queue.push(next);
    }
  }
  return reached;
}

/** Templates are the messages WhatsApp accepts outside the window. */
function usesTemplate(config: unknown): boolean {
  if (!isRecord(config)) return false;
  return config.kind === 'template' || (isRecord(config.message) && config.message.type === 'template');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
