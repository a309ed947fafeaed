import { workflowGraphSchema } from '@switchboard/shared';
import type { z } from 'zod';
import { findNodeType as findCatalogNodeType } from '../catalog';
import { checkCycles } from './cycles';
import { checkEdges, checkRequiredOutputs } from './edgeChecks';
import { type GraphProblem, type GraphValidation, orderProblems } from './graphProblem';
import { checkNodes, type FindNodeType } from './nodeIndex';
import { checkOverlappingTriggers, type PublishedTrigger } from './overlappingTriggers';
import { checkReachability } from './reachability';

export * from './graphProblem';
export type { FindNodeType } from './nodeIndex';
export type { PublishedTrigger } from './overlappingTriggers';

export interface ValidateGraphOptions {
  /** Triggers of live workflows, to warn when this one would start on the same conversations. */
  publishedTriggers?: readonly PublishedTrigger[];
  /** The workflow being validated: its own published version never counts as overlapping. */
  workflowId?: string;
  /** Where node types come from; the catalog unless a test brings its own. */
  findNodeType?: FindNodeType;
}

/**
 * Everything wrong with a graph, for the editor as the manager draws and for the server on publish
 * (the same code, so that what the editor accepts publishes). Pure and deterministic: problems come
 * out in the same order for the same graph. Accepts unparsed input because the API validates what
 * it is sent.
 */
export function validateGraph(input: unknown, options: ValidateGraphOptions = {}): GraphValidation {
  const shape = workflowGraphSchema.safeParse(input);
  if (!shape.success) return result(shape.error.issues.map((issue) => shapeProblem(input, issue)));

  const graph = shape.data;
  const findNodeType = options.findNodeType ?? findCatalogNodeType;
  const problems: GraphProblem[] = [];
  const report = (problem: GraphProblem) => {
    problems.push(problem);
  };

  const index = checkNodes(graph, findNodeType, report);
  const flow = checkEdges(graph, index, report);
  checkRequiredOutputs(index, flow, report);
  checkReachability(index, flow, report);
  checkCycles(index, flow, report);
  checkOverlappingTriggers(index, options.publishedTriggers ?? [], options.workflowId, findNodeType, report);
  return result(problems);
}

function result(problems: GraphProblem[]): GraphValidation {
  return {
    problems: orderProblems(problems),
    ok: problems.every((problem) => problem.severity !== 'error'),
  };
}

/** A graph that does not match the schema at all (a broken client or a hand-edited import). */
function shapeProblem(input: unknown, issue: z.core.$ZodIssue): GraphProblem {
  const field = issue.path.map(String).join('.');
  const [collection, position] = issue.path;
  const item =
    (collection === 'nodes' || collection === 'edges') && typeof position === 'number'
      ? idAt(input, collection, position)
      : undefined;
  return {
    severity: 'error',
    code: 'invalid_graph',
    ...(field ? { field } : {}),
    ...(item && collection === 'nodes' ? { nodeId: item } : {}),
    ...(item && collection === 'edges' ? { edgeId: item } : {}),
    message: `The workflow data is malformed${field ? ` at ${field}` : ''}: ${issue.message}.`,
  };
}

function idAt(input: unknown, collection: 'nodes' | 'edges', position: number): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const items = (input as Record<string, unknown>)[collection];
  const item: unknown = Array.isArray(items) ? items[position] : undefined;
  if (typeof item !== 'object' || item === null) return undefined;
  const id = (item as Record<string, unknown>).id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}
