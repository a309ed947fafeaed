import { z } from 'zod';
import { canonicalJson, type GraphEdge, type GraphNode, type WorkflowGraph } from './graph';

/*
 * The difference between two versions of a workflow, computed once here so that the runtime's
 * versions API and the editor's diff view can never disagree about what changed.
 */

/** One changed value, addressed by its dotted path inside the node (`config.teamId`, `position.x`). */
export const fieldChangeSchema = z.object({
  path: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

export const nodeChangeSchema = z.object({
  nodeId: z.string(),
  type: z.string(),
  /** Only moved on the canvas: behaviour is the same, so a view may want to de-emphasise it. */
  movedOnly: z.boolean(),
  fields: z.array(fieldChangeSchema),
});
export type NodeChange = z.infer<typeof nodeChangeSchema>;

export const edgeRefSchema = z.object({
  id: z.string(),
  source: z.string(),
  sourceHandle: z.string(),
  target: z.string(),
});

export const graphDiffSchema = z.object({
  addedNodes: z.array(z.object({ nodeId: z.string(), type: z.string() })),
  removedNodes: z.array(z.object({ nodeId: z.string(), type: z.string() })),
  changedNodes: z.array(nodeChangeSchema),
  addedEdges: z.array(edgeRefSchema),
  removedEdges: z.array(edgeRefSchema),
  /** Same id, but it now connects other nodes or leaves through another output. */
  changedEdges: z.array(z.object({ id: z.string(), before: edgeRefSchema, after: edgeRefSchema })),
  identical: z.boolean(),
});
export type GraphDiff = z.infer<typeof graphDiffSchema>;

/** What changed from `before` to `after`; nodes and edges are matched by id. */
export function diffGraphs(before: WorkflowGraph, after: WorkflowGraph): GraphDiff {
  const beforeNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const afterNodes = new Map(after.nodes.map((node) => [node.id, node]));
  const beforeEdges = new Map(before.edges.map((edge) => [edge.id, edge]));
  const afterEdges = new Map(after.edges.map((edge) => [edge.id, edge]));

  const addedNodes = after.nodes
    .filter((node) => !beforeNodes.has(node.id))
    .map((node) => ({ nodeId: node.id, type: node.type }));
  const removedNodes = before.nodes
    .filter((node) => !afterNodes.has(node.id))
    .map((node) => ({ nodeId: node.id, type: node.type }));
  const changedNodes: NodeChange[] = [];
  for (const node of after.nodes) {
    const old = beforeNodes.get(node.id);
    if (!old) continue;
    const fields = nodeFieldChanges(old, node);
    if (fields.length === 0) continue;
    changedNodes.push({
      nodeId: node.id,
      type: node.type,
      movedOnly: fields.every((field) => field.path.startsWith('position.')),
      fields,
    });
  }

  const addedEdges = after.edges.filter((edge) => !beforeEdges.has(edge.id)).map(edgeRef);
  const removedEdges = before.edges.filter((edge) => !afterEdges.has(edge.id)).map(edgeRef);
  const changedEdges: GraphDiff['changedEdges'] = [];
  for (const edge of after.edges) {
    const old = beforeEdges.get(edge.id);
    if (old && canonicalJson(edgeRef(old)) !== canonicalJson(edgeRef(edge)))
      changedEdges.push({ id: edge.id, before: edgeRef(old), after: edgeRef(edge) });
  }

  return {
    addedNodes,
    removedNodes,
    changedNodes,
    addedEdges,
    removedEdges,
    changedEdges,
    identical:
      addedNodes.length + removedNodes.length + changedNodes.length === 0 &&
      addedEdges.length + removedEdges.length + changedEdges.length === 0,
  };
}

function edgeRef(edge: GraphEdge) {
  return { id: edge.id, source: edge.source, sourceHandle: edge.sourceHandle, target: edge.target };
}

function nodeFieldChanges(before: GraphNode, after: GraphNode): FieldChange[] {
  const changes: FieldChange[] = [];
  const { config: beforeConfig, ...beforeRest } = before;
  const { config: afterConfig, ...afterRest } = after;
  collectChanges('', beforeRest, afterRest, changes);
  collectChanges('config', beforeConfig, afterConfig, changes);
  return changes;
}

/**
 * Walks plain objects key by key so a config diff names `config.rules.0.value` rather than
 * "config changed"; arrays of different length are reported whole, since positions shift.
 */
function collectChanges(path: string, before: unknown, after: unknown, out: FieldChange[]): void {
  if (canonicalJson(before) === canonicalJson(after)) return;
  const bothObjects = isPlainObject(before) && isPlainObject(after);
  const sameLengthArrays = Array.isArray(before) && Array.isArray(after) && before.length === after.length;
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) collectChanges(join(path, key), before[key], after[key], out);
    return;
  }
  if (sameLengthArrays) {
    before.forEach((item, i) => {
      collectChanges(join(path, String(i)), item, after[i], out);
    });
    return;
  }
  out.push({ path, before, after });
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
