import type { Flow } from './edgeChecks';
import { type NodeIndex, nodeName, type Report, upperFirst, waits } from './nodeIndex';

/** Long loops are named in part; the editor highlights the node the problem points at. */
const NAMES_IN_MESSAGE = 6;

/**
 * A loop in which no node waits runs round without pause inside one workflow task until the
 * interpreter's step limit fails the execution. Self-loops are reported with the edges.
 */
export function checkCycles(index: NodeIndex, flow: Flow, report: Report): void {
  const order = [...index.byId.keys()];
  const position = new Map(order.map((id, i) => [id, i]));
  for (const component of stronglyConnectedComponents(order, flow.successors)) {
    if (component.length < 2) continue;
    const members = component
      .map((id) => index.byId.get(id))
      .filter((info) => info !== undefined)
      .sort((a, b) => (position.get(a.node.id) ?? 0) - (position.get(b.node.id) ?? 0));
    // An unknown type might wait; it is reported as unknown, and the loop is judged once it is fixed.
    if (members.some((info) => waits(info) !== false)) continue;
    const [first] = members;
    if (!first) continue;
    const names = members.slice(0, NAMES_IN_MESSAGE).map(nodeName);
    const more = members.length > NAMES_IN_MESSAGE ? ` and ${members.length - NAMES_IN_MESSAGE} more` : '';
    report({
      severity: 'error',
      code: 'cycle_without_wait',
      nodeId: first.node.id,
      message: `${upperFirst(names.join(', '))}${more} form a loop with no waiting step, so a conversation would go round it without pause; add a wait inside the loop or break it.`,
    });
  }
}

/**
 * Tarjan's algorithm with an explicit stack, so a long chain of 1,000 nodes cannot overflow the call
 * stack. Components come out in a deterministic order for a given node order.
 */
export function stronglyConnectedComponents(
  nodeIds: readonly string[],
  successors: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const indexOf = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  const open = (id: string) => {
    indexOf.set(id, counter);
    lowLink.set(id, counter);
    counter += 1;
    stack.push(id);
    onStack.add(id);
  };

  for (const root of nodeIds) {
    if (indexOf.has(root)) continue;
    open(root);
    const frames = [{ id: root, next: 0 }];
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { id: string; next: number };
      const targets = successors.get(frame.id) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next] as string;
        frame.next += 1;
        if (!indexOf.has(target)) {
          open(target);
          frames.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          lowLink.set(frame.id, Math.min(lowLink.get(frame.id) ?? 0, indexOf.get(target) ?? 0));
        }
        continue;
      }
      frames.pop();
      const low = lowLink.get(frame.id) ?? 0;
      if (low === indexOf.get(frame.id)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component);
      }
      const parent = frames[frames.length - 1];
      if (parent) lowLink.set(parent.id, Math.min(lowLink.get(parent.id) ?? 0, low));
    }
  }
  return components;
}
