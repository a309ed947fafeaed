import { canonicalJson, type GraphNode } from '@switchboard/shared';
import type { AnyNodeType } from '../nodeType';
import { type FindNodeType, type NodeIndex, nodeName, type Report, upperFirst } from './nodeIndex';

/** The trigger node of a workflow that is already live. */
export interface PublishedTrigger {
  workflowId: string;
  workflowName: string;
  node: GraphNode;
}

/**
 * Triggers that, left unfiltered, start on every inbound message. Node metadata does not say which
 * events a trigger listens to, so this is the one place the validator knows types by name.
 */
const CATCH_ALL_TRIGGER_TYPES: ReadonlySet<string> = new Set([
  'trigger.messageReceived',
  'trigger.newConversation',
]);

/** Warns when this graph's trigger would start on the same conversations as another live workflow's. */
export function checkOverlappingTriggers(
  index: NodeIndex,
  published: readonly PublishedTrigger[],
  ownWorkflowId: string | undefined,
  findNodeType: FindNodeType,
  report: Report,
): void {
  for (const trigger of index.triggers) {
    const mine = parsedTrigger(trigger.node, findNodeType);
    if (!mine) continue;
    const warned = new Set<string>();
    for (const other of published) {
      if (other.workflowId === ownWorkflowId || warned.has(other.workflowId)) continue;
      const theirs = parsedTrigger(other.node, findNodeType);
      if (!theirs || !overlap(mine, theirs)) continue;
      warned.add(other.workflowId);
      report({
        severity: 'warning',
        code: 'overlapping_trigger',
        nodeId: trigger.node.id,
        message: `${upperFirst(nodeName(trigger))} starts on the same conversations as the trigger of the published workflow "${other.workflowName}"; a conversation is handled by one workflow only, so check which one should take it.`,
      });
    }
  }
}

interface ParsedTrigger {
  nodeType: AnyNodeType;
  /** Canonical JSON of the parsed config, so that key order and defaults do not hide equality. */
  config: string;
}

function parsedTrigger(node: GraphNode, findNodeType: FindNodeType): ParsedTrigger | null {
  const nodeType = findNodeType(node.type);
  if (nodeType?.category !== 'trigger') return null;
  const parsed = nodeType.configSchema.safeParse(node.config);
  return parsed.success ? { nodeType, config: canonicalJson(parsed.data) } : null;
}

function overlap(a: ParsedTrigger, b: ParsedTrigger): boolean {
  if (isCatchAll(a) || isCatchAll(b)) return true;
  return a.nodeType.type === b.nodeType.type && a.config === b.config;
}

/** A catch-all type with no filter set: its config is what the schema makes of `{}`. */
function isCatchAll(trigger: ParsedTrigger): boolean {
  if (!CATCH_ALL_TRIGGER_TYPES.has(trigger.nodeType.type)) return false;
  const empty = trigger.nodeType.configSchema.safeParse({});
  return empty.success && canonicalJson(empty.data) === trigger.config;
}
