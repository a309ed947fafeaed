import { z } from 'zod';

/** Stable codes: the editor and the API match on them, so rename none of them. */
export const graphProblemCodeSchema = z.enum([
  'invalid_graph',
  'duplicate_node_id',
  'duplicate_edge_id',
  'unknown_node_type',
  'unsupported_type_version',
  'invalid_config',
  'no_trigger',
  'extra_trigger',
  'dangling_edge',
  'edge_into_trigger',
  'unknown_output',
  'duplicate_output_edge',
  'duplicate_edge',
  'self_loop',
  'unreachable_node',
  'cycle_without_wait',
  'unconnected_output',
  'may_send_outside_window',
  'overlapping_trigger',
]);
export type GraphProblemCode = z.infer<typeof graphProblemCodeSchema>;

export const graphProblemSchema = z.object({
  /** Errors block publishing; warnings are shown but let the manager publish. */
  severity: z.enum(['error', 'warning']),
  code: graphProblemCodeSchema,
  /** One sentence for the manager who drew the graph, naming the node by its label (or id). */
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  /** Dot path inside the node's config; for a malformed graph, the path inside the graph. */
  field: z.string().optional(),
});
export type GraphProblem = z.infer<typeof graphProblemSchema>;

export const graphValidationSchema = z.object({
  problems: z.array(graphProblemSchema),
  /** True when there is no error (warnings allowed). */
  ok: z.boolean(),
});
export type GraphValidation = z.infer<typeof graphValidationSchema>;

/**
 * Errors first; then graph-wide problems, node problems by node id, edge problems by edge id. Ids are
 * compared by code unit, not `localeCompare`, so that the editor and the server order them the same.
 */
export function orderProblems(problems: readonly GraphProblem[]): GraphProblem[] {
  const rank = (problem: GraphProblem) =>
    problem.nodeId !== undefined ? 1 : problem.edgeId !== undefined ? 2 : 0;
  return problems
    .map((problem, position) => ({ problem, position }))
    .sort((a, b) => {
      const p = a.problem;
      const q = b.problem;
      return (
        compare(p.severity === 'error' ? 0 : 1, q.severity === 'error' ? 0 : 1) ||
        compare(rank(p), rank(q)) ||
        compare(p.nodeId ?? '', q.nodeId ?? '') ||
        compare(p.edgeId ?? '', q.edgeId ?? '') ||
        a.position - b.position
      );
    })
    .map(({ problem }) => problem);
}

function compare<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
