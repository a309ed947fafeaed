import { z } from 'zod';

/** Node and edge ids appear in URLs, idempotency keys and traces, so keep them short and printable. */
const graphIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits, "_", ".", ":" or "-"');

export const graphPositionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });

export const graphNodeSchema = z.object({
  id: graphIdSchema,
  /** Catalog type name, e.g. `trigger.messageReceived`. */
  type: z.string().min(1).max(80),
  /** Behaviour version of the type; a node keeps the semantics of the version it was drawn with. */
  typeVersion: z.number().int().positive(),
  position: graphPositionSchema,
  /** Validated against the node type's own schema, which lives in the catalog. */
  config: z.record(z.string(), z.unknown()).default({}),
  label: z.string().max(120).optional(),
});

export const graphEdgeSchema = z.object({
  id: graphIdSchema,
  source: graphIdSchema,
  /** Named output of the source node (`out`, `true`, `false`, `assigned`, …). */
  sourceHandle: z.string().min(1).max(64).default('out'),
  target: graphIdSchema,
});

export const workflowGraphSchema = z.object({
  nodes: z.array(graphNodeSchema).max(5000),
  edges: z.array(graphEdgeSchema).max(10000),
});

export type GraphNode = z.infer<typeof graphNodeSchema>;
export type GraphEdge = z.infer<typeof graphEdgeSchema>;
export type WorkflowGraph = z.infer<typeof workflowGraphSchema>;
export type WorkflowGraphInput = z.input<typeof workflowGraphSchema>;

/** A published, immutable snapshot of a graph. */
export const workflowVersionSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  number: z.number().int().positive(),
  graph: workflowGraphSchema,
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  note: z.string(),
  publishedBy: z.string().nullable(),
  publishedAt: z.number().int(),
});
export type WorkflowVersion = z.infer<typeof workflowVersionSchema>;

/**
 * Serialises a value with object keys sorted at every level, so that two graphs that differ only in
 * key order hash the same. Arrays keep their order: node order is meaningful to nobody, but we
 * normalise it in `canonicalGraph` instead of guessing here.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The graph in the form its content hash is computed over: nodes and edges sorted by id. */
export function canonicalGraph(graph: WorkflowGraph): string {
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return canonicalJson({
    nodes: [...graph.nodes].sort(byId),
    edges: [...graph.edges].sort(byId),
  });
}
