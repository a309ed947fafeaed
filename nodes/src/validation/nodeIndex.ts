import type { GraphNode, WorkflowGraph } from '@switchboard/shared';
import type { AnyNodeType, NodeOutput } from '../nodeType';
import type { GraphProblem } from './graphProblem';

export type FindNodeType = (type: string) => AnyNodeType | undefined;
export type Report = (problem: GraphProblem) => void;

/** A node with what the catalog says about it. */
export interface NodeInfo {
  node: GraphNode;
  /** The catalog's type, even when the node was drawn with a newer version; absent when unknown. */
  nodeType?: AnyNodeType;
  /** The config parsed by the type's schema; absent when the type is unusable or the config invalid. */
  config?: unknown;
  /** The outputs the parsed config offers; absent whenever `config` is. */
  outputs?: NodeOutput[];
}

export interface NodeIndex {
  /** First node of each id, in graph order (later duplicates are reported, not indexed). */
  byId: Map<string, NodeInfo>;
  triggers: NodeInfo[];
}

/** Checks node ids, types, versions, configs and the single trigger; returns the index later checks use. */
export function checkNodes(graph: WorkflowGraph, findNodeType: FindNodeType, report: Report): NodeIndex {
  const index: NodeIndex = { byId: new Map(), triggers: [] };
  for (const node of graph.nodes) {
    if (index.byId.has(node.id)) {
      report({
        severity: 'error',
        code: 'duplicate_node_id',
        nodeId: node.id,
        message: `Two nodes share the id "${node.id}"; give each node its own id.`,
      });
      continue;
    }
    const info = describeType(node, findNodeType, report);
    index.byId.set(node.id, info);
    if (info.nodeType?.category === 'trigger') index.triggers.push(info);
  }

  const [, ...extraTriggers] = index.triggers;
  if (index.triggers.length === 0) {
    report({
      severity: 'error',
      code: 'no_trigger',
      message: 'The workflow has no trigger, so nothing would ever start it; add one trigger.',
    });
  }
  for (const extra of extraTriggers) {
    report({
      severity: 'error',
      code: 'extra_trigger',
      nodeId: extra.node.id,
      message: `${upperFirst(nodeName(extra))} is a second trigger; a workflow starts from exactly one trigger, so remove it or move it to another workflow.`,
    });
  }
  return index;
}

function describeType(node: GraphNode, findNodeType: FindNodeType, report: Report): NodeInfo {
  const nodeType = findNodeType(node.type);
  const info: NodeInfo = { node, nodeType };
  if (!nodeType) {
    report({
      severity: 'error',
      code: 'unknown_node_type',
      nodeId: node.id,
      message: `${upperFirst(nodeName(info))} has the type "${node.type}", which this version of Switchboard does not know.`,
    });
    return info;
  }
  if (node.typeVersion > nodeType.typeVersion) {
    report({
      severity: 'error',
      code: 'unsupported_type_version',
      nodeId: node.id,
      message: `${upperFirst(nodeName(info))} was drawn with version ${node.typeVersion} of "${nodeType.label}", but this server only knows up to version ${nodeType.typeVersion}.`,
    });
    return info;
  }
  const parsed = nodeType.configSchema.safeParse(node.config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.');
      report({
        severity: 'error',
        code: 'invalid_config',
        nodeId: node.id,
        ...(field ? { field } : {}),
        message: `${upperFirst(nodeName(info))}: ${field ? `${field} — ` : ''}${issue.message}.`,
      });
    }
    return info;
  }
  return { ...info, config: parsed.data, outputs: nodeType.outputs(parsed.data) };
}

/** True for node types that may pause on a timer; unknown types answer undefined. */
export function waits(info: NodeInfo): boolean | undefined {
  if (!info.nodeType) return undefined;
  return info.nodeType.category !== 'trigger' && info.nodeType.waits === true;
}

/** How messages name a node: its label, else its type and id. */
export function nodeName(info: NodeInfo): string {
  if (info.node.label?.trim()) return `"${info.node.label.trim()}"`;
  if (info.nodeType) return `the ${info.nodeType.label} node "${info.node.id}"`;
  return `node "${info.node.id}"`;
}

export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
