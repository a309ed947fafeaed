import type { GraphEdge, WorkflowGraph } from '@switchboard/shared';
import { edgeKey } from '../interpreter/graphIndex';
import { type NodeIndex, nodeName, type Report, upperFirst, waits } from './nodeIndex';

/** The edges the interpreter would actually follow, as adjacency lists in graph order. */
export interface Flow {
  successors: Map<string, string[]>;
  /** `edgeKey(source, handle)` of every output that has a followed edge. */
  connectedOutputs: Set<string>;
}

/**
 * Checks every edge and keeps those the interpreter would follow: both ends exist, the target is not
 * a trigger, the output exists, and it is the first edge from that output (the interpreter ignores
 * the others). Later checks reason about this flow, so they agree with what runs.
 */
export function checkEdges(graph: WorkflowGraph, index: NodeIndex, report: Report): Flow {
  const flow: Flow = { successors: new Map(), connectedOutputs: new Set() };
  const firstFromOutput = new Map<string, GraphEdge>();
  const seenIds = new Set<string>();

  for (const edge of graph.edges) {
    if (seenIds.has(edge.id)) {
      report({
        severity: 'error',
        code: 'duplicate_edge_id',
        edgeId: edge.id,
        message: `Two connections share the id "${edge.id}"; give each connection its own id.`,
      });
    }
    seenIds.add(edge.id);

    const source = index.byId.get(edge.source);
    const target = index.byId.get(edge.target);
    if (!source || !target) {
      const missing = [!source && `from "${edge.source}"`, !target && `to "${edge.target}"`].filter(Boolean);
      report({
        severity: 'error',
        code: 'dangling_edge',
        edgeId: edge.id,
        message: `A connection goes ${missing.join(' and ')}, but there is no such node; delete the connection.`,
      });
      continue;
    }
    if (target.nodeType?.category === 'trigger') {
      report({
        severity: 'error',
        code: 'edge_into_trigger',
        edgeId: edge.id,
        message: `A connection leads from ${nodeName(source)} into the trigger ${nodeName(target)}; a trigger only starts a workflow, nothing can lead into it.`,
      });
      continue;
    }
    // Outputs are known only when the config is valid; an invalid config is reported on its own.
    if (source.outputs && !source.outputs.some((output) => output.id === edge.sourceHandle)) {
      const offered = source.outputs.map((output) => `"${output.id}"`).join(', ') || 'none';
      report({
        severity: 'error',
        code: 'unknown_output',
        edgeId: edge.id,
        message: `A connection leaves ${nodeName(source)} through "${edge.sourceHandle}", which it does not have (its outputs: ${offered}).`,
      });
      continue;
    }

    const key = edgeKey(edge.source, edge.sourceHandle);
    const first = firstFromOutput.get(key);
    if (first) {
      const exact = first.target === edge.target;
      report({
        severity: 'error',
        code: exact ? 'duplicate_edge' : 'duplicate_output_edge',
        edgeId: edge.id,
        message: exact
          ? `${upperFirst(nodeName(source))} is connected to ${nodeName(target)} twice through "${edge.sourceHandle}"; delete one of the connections.`
          : `The "${edge.sourceHandle}" output of ${nodeName(source)} has more than one connection; each output leads to one next step, so keep one.`,
      });
      continue;
    }
    firstFromOutput.set(key, edge);
    flow.connectedOutputs.add(key);

    // A waiting node may loop on itself (retry after a pause); anything else would spin without end.
    if (edge.source === edge.target && waits(source) === false) {
      report({
        severity: 'error',
        code: 'self_loop',
        edgeId: edge.id,
        nodeId: source.node.id,
        message: `${upperFirst(nodeName(source))} leads back into itself without waiting, so a conversation would loop there forever.`,
      });
      continue;
    }
    const next = flow.successors.get(edge.source);
    if (next) next.push(edge.target);
    else flow.successors.set(edge.source, [edge.target]);
  }
  return flow;
}

/** A required output (a timeout, a breach) that leads nowhere is usually a forgotten escalation. */
export function checkRequiredOutputs(index: NodeIndex, flow: Flow, report: Report): void {
  for (const info of index.byId.values()) {
    for (const output of info.outputs ?? []) {
      if (!output.required || flow.connectedOutputs.has(edgeKey(info.node.id, output.id))) continue;
      report({
        severity: 'warning',
        code: 'unconnected_output',
        nodeId: info.node.id,
        message: `The "${output.label}" output of ${nodeName(info)} is not connected, so conversations that leave through it stop there.`,
      });
    }
  }
}
