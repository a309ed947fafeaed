import type { GraphEdge, GraphNode, WorkflowGraph } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findNodeType as findCatalogNodeType } from '../catalog';
import { type AnyNodeType, defineNodeType } from '../nodeType';
import { newConversationToAssign } from '../testing/builders';
import { type GraphProblem, type ValidateGraphOptions, validateGraph } from './validateGraph';

// Node types with the metadata the catalog's own types are gaining; the validator must judge by
// metadata alone, so these stand in without registering anything global.
const pause = defineNodeType({
  type: 'test.pause',
  typeVersion: 1,
  category: 'flow',
  label: 'Pause',
  description: 'Waits on a timer.',
  icon: '⏸',
  color: '#000',
  configSchema: z.object({ minutes: z.number().int().positive().default(5) }),
  waits: true,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: () => 'pause',
  run: () => ({ kind: 'wait', until: 0 }),
});

const watch = defineNodeType({
  type: 'test.watch',
  typeVersion: 1,
  category: 'flow',
  label: 'Watch',
  description: 'Waits for an answer, with a timeout nobody should forget.',
  icon: '⏱',
  color: '#000',
  configSchema: z.object({}),
  waits: true,
  outputs: () => [
    { id: 'answered', label: 'answered' },
    { id: 'timeout', label: 'no answer in time', required: true },
  ],
  summary: () => 'watch',
  run: () => ({ kind: 'wait', until: 0 }),
});

const send = defineNodeType({
  type: 'test.send',
  typeVersion: 1,
  category: 'action',
  label: 'Send',
  description: 'Messages the customer.',
  icon: '📤',
  color: '#000',
  configSchema: z.union([
    z.object({ kind: z.enum(['text', 'template']), text: z.string() }),
    z.object({ message: z.object({ type: z.enum(['text', 'template']), body: z.string() }) }),
  ]),
  sendsToCustomer: true,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: () => 'send',
  run: () => ({ kind: 'continue', output: 'out' }),
});

const keyword = defineNodeType({
  type: 'test.keyword',
  typeVersion: 1,
  category: 'trigger',
  label: 'Keyword',
  description: 'Starts on messages containing a word.',
  icon: '🔑',
  color: '#000',
  configSchema: z.object({ word: z.string().min(1), caseSensitive: z.boolean().default(false) }),
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: () => 'keyword',
  matches: () => true,
});

const testTypes = new Map<string, AnyNodeType>([pause, watch, send, keyword].map((t) => [t.type, t]));
const findNodeType = (type: string) => testTypes.get(type) ?? findCatalogNodeType(type);

/** A node of `type`; assigns get a team unless told otherwise. */
function node(id: string, type: string, config?: Record<string, unknown>, extra: Partial<GraphNode> = {}) {
  const fallback = type === 'assign' ? { teamId: 't1' } : {};
  return { id, type, typeVersion: 1, position: { x: 0, y: 0 }, config: config ?? fallback, ...extra };
}

function edge(
  source: string,
  sourceHandle: string,
  target: string,
  id = `${source}.${sourceHandle}`,
): GraphEdge {
  return { id, source, sourceHandle, target };
}

function graph(nodes: GraphNode[], edges: GraphEdge[] = []): WorkflowGraph {
  return { nodes, edges };
}

function validate(input: unknown, options: ValidateGraphOptions = {}) {
  return validateGraph(input, { findNodeType, ...options });
}

function codes(problems: GraphProblem[]) {
  return problems.map((problem) => problem.code);
}

const start = node('start', 'trigger.newConversation');

describe('validateGraph', () => {
  it('the demo workflow "new conversation → assign round-robin" has no problems at all', () => {
    expect(validateGraph(newConversationToAssign('t1'))).toEqual({ problems: [], ok: true });
  });

  describe('graph shape', () => {
    it('a node without an id is reported as malformed data at its path, and nothing else is checked', () => {
      const broken = { nodes: [{ type: 'assign', typeVersion: 1, position: { x: 0, y: 0 } }], edges: [] };
      const { problems, ok } = validate(broken);
      expect(ok).toBe(false);
      expect(problems).toEqual([
        expect.objectContaining({ severity: 'error', code: 'invalid_graph', field: 'nodes.0.id' }),
      ]);
    });

    it('a badly named edge is pinned to that edge', () => {
      const broken = { nodes: [start], edges: [{ id: 'bad id!', source: 'start', target: 'x' }] };
      expect(validate(broken).problems).toEqual([
        expect.objectContaining({ code: 'invalid_graph', field: 'edges.0.id', edgeId: 'bad id!' }),
      ]);
    });

    it('something that is not a graph at all is reported, not thrown', () => {
      expect(validate(null)).toMatchObject({ ok: false, problems: [{ code: 'invalid_graph' }] });
    });
  });

  describe('ids', () => {
    it('two nodes drawn with the same id are an error on that id', () => {
      const { problems } = validate(
        graph([start, node('a', 'assign'), node('a', 'assign')], [edge('start', 'out', 'a')]),
      );
      expect(problems).toEqual([expect.objectContaining({ code: 'duplicate_node_id', nodeId: 'a' })]);
    });

    it('two connections with the same id are an error on that id', () => {
      const { problems } = validate(
        graph(
          [start, node('a', 'assign'), node('b', 'assign')],
          [edge('start', 'out', 'a', 'e1'), edge('a', 'assigned', 'b', 'e1')],
        ),
      );
      expect(problems).toEqual([expect.objectContaining({ code: 'duplicate_edge_id', edgeId: 'e1' })]);
    });
  });

  describe('node types', () => {
    it('a node of a type this server does not know is an error naming the node by its label', () => {
      const { problems } = validate(
        graph(
          [start, node('x', 'action.teleport', {}, { label: 'Beam me up' })],
          [edge('start', 'out', 'x')],
        ),
      );
      expect(problems).toEqual([expect.objectContaining({ code: 'unknown_node_type', nodeId: 'x' })]);
      expect(problems[0]?.message).toContain('"Beam me up"');
    });

    it('a node drawn with a newer version than the catalog has is an error', () => {
      const { problems } = validate(
        graph([start, node('a', 'assign', {}, { typeVersion: 2 })], [edge('start', 'out', 'a')]),
      );
      expect(problems).toEqual([expect.objectContaining({ code: 'unsupported_type_version', nodeId: 'a' })]);
    });
  });

  it('an assign node without a team and with a made-up strategy gets one error per field', () => {
    const { problems } = validate(
      graph([start, node('a', 'assign', { strategy: 'coin_flip', teamId: '' })], [edge('start', 'out', 'a')]),
    );
    expect(problems.map((p) => [p.code, p.nodeId, p.field])).toEqual([
      ['invalid_config', 'a', 'strategy'],
      ['invalid_config', 'a', 'teamId'],
    ]);
    expect(problems.find((p) => p.field === 'teamId')?.message).toContain('choose a team');
  });

  describe('triggers', () => {
    it('a workflow with no trigger is an error, and its nodes are not also called unreachable', () => {
      const { problems } = validate(graph([node('a', 'assign')]));
      expect(codes(problems)).toEqual(['no_trigger']);
    });

    it('a second trigger is an error on the second one only', () => {
      const { problems } = validate(
        graph(
          [start, node('again', 'trigger.messageReceived'), node('a', 'assign')],
          [edge('start', 'out', 'a'), edge('again', 'out', 'a')],
        ),
      );
      expect(problems).toEqual([expect.objectContaining({ code: 'extra_trigger', nodeId: 'again' })]);
    });
  });

  describe('edges', () => {
    it('a connection to a deleted node is an error', () => {
      const { problems } = validate(
        graph([start, node('a', 'assign')], [edge('start', 'out', 'a'), edge('a', 'assigned', 'gone')]),
      );
      expect(problems).toEqual([expect.objectContaining({ code: 'dangling_edge', edgeId: 'a.assigned' })]);
    });

    it('a connection back into the trigger is an error', () => {
      const { problems } = validate(
        graph([start, node('a', 'assign')], [edge('start', 'out', 'a'), edge('a', 'unassigned', 'start')]),
      );
      expect(problems).toEqual([
        expect.objectContaining({ code: 'edge_into_trigger', edgeId: 'a.unassigned' }),
      ]);
    });

    it('a connection from an output the node does not have is an error listing the real outputs', () => {
      const { problems } = validate(
        graph(
          [start, node('a', 'assign'), node('b', 'assign')],
          [edge('start', 'out', 'a'), edge('a', 'maybe', 'b')],
        ),
      );
      expect(codes(problems)).toEqual(['unknown_output', 'unreachable_node']);
      expect(problems[0]?.message).toContain('"assigned", "unassigned"');
    });

    it('"assigned" leading to two different next steps is an error on the second connection', () => {
      const { problems } = validate(
        graph(
          [start, node('a', 'assign'), node('b', 'assign'), node('c', 'assign')],
          [edge('start', 'out', 'a'), edge('a', 'assigned', 'b', 'e1'), edge('a', 'assigned', 'c', 'e2')],
        ),
      );
      // The interpreter follows the first connection only, so "c" never runs.
      expect(problems.map((p) => [p.code, p.nodeId ?? p.edgeId])).toEqual([
        ['duplicate_output_edge', 'e2'],
        ['unreachable_node', 'c'],
      ]);
    });

    it('the same connection drawn twice is an exact-duplicate error', () => {
      const { problems } = validate(
        graph(
          [start, node('a', 'assign'), node('b', 'assign')],
          [edge('start', 'out', 'a'), edge('a', 'assigned', 'b', 'e1'), edge('a', 'assigned', 'b', 'e2')],
        ),
      );
      expect(problems).toEqual([expect.objectContaining({ code: 'duplicate_edge', edgeId: 'e2' })]);
    });

    it('an assign that retries itself immediately is a self-loop error, but a waiting node may loop', () => {
      const { problems } = validate(
        graph(
          [start, node('a', 'assign'), node('p', 'test.pause')],
          [
            edge('start', 'out', 'a'),
            edge('a', 'unassigned', 'a'),
            edge('a', 'assigned', 'p'),
            edge('p', 'out', 'p'),
          ],
        ),
      );
      expect(problems).toEqual([
        expect.objectContaining({ code: 'self_loop', nodeId: 'a', edgeId: 'a.unassigned' }),
      ]);
    });
  });

  it('a node nobody connected is a warning that it will never run', () => {
    const { problems, ok } = validate(
      graph([start, node('a', 'assign'), node('orphan', 'assign')], [edge('start', 'out', 'a')]),
    );
    expect(ok).toBe(true);
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'unreachable_node', nodeId: 'orphan' }),
    ]);
  });

  describe('loops', () => {
    it('two assigns handing the conversation back and forth without a wait are one loop error', () => {
      const { problems } = validate(
        graph(
          [start, node('a', 'assign'), node('b', 'assign', undefined, { label: 'Try sales' })],
          [edge('start', 'out', 'a'), edge('a', 'unassigned', 'b'), edge('b', 'unassigned', 'a')],
        ),
      );
      expect(problems).toEqual([
        expect.objectContaining({ severity: 'error', code: 'cycle_without_wait', nodeId: 'a' }),
      ]);
      expect(problems[0]?.message).toContain('"Try sales"');
    });

    it('the same loop with a pause in it is fine: "try again in 5 minutes"', () => {
      const { problems } = validate(
        graph(
          [start, node('a', 'assign'), node('p', 'test.pause')],
          [edge('start', 'out', 'a'), edge('a', 'unassigned', 'p'), edge('p', 'out', 'a')],
        ),
      );
      expect(problems).toEqual([]);
    });

    it('a 1,000-node loop without a wait is found without overflowing the stack', () => {
      const ids = Array.from({ length: 1000 }, (_, i) => `n${i}`);
      const { problems } = validate(
        graph(
          [start, ...ids.map((id) => node(id, 'assign'))],
          [
            edge('start', 'out', 'n0'),
            ...ids.map((id, i) => edge(id, 'unassigned', ids[(i + 1) % ids.length] ?? 'n0')),
          ],
        ),
      );
      expect(codes(problems)).toEqual(['cycle_without_wait']);
      expect(problems[0]?.message).toContain('and 994 more');
    });
  });

  it('a timeout nobody handles is a warning; an assign with no next step simply ends the flow', () => {
    const { problems, ok } = validate(
      graph(
        [start, node('w', 'test.watch'), node('a', 'assign')],
        [edge('start', 'out', 'w'), edge('w', 'answered', 'a')],
      ),
    );
    expect(ok).toBe(true);
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'unconnected_output', nodeId: 'w' }),
    ]);
    expect(problems[0]?.message).toContain('"no answer in time"');
  });

  describe('24-hour window', () => {
    const afterPause = (config: Record<string, unknown>) =>
      graph(
        [start, node('p', 'test.pause'), node('s', 'test.send', config, { label: 'Follow up' })],
        [edge('start', 'out', 'p'), edge('p', 'out', 's')],
      );

    it('a free-form message sent after a pause warns that WhatsApp may refuse it', () => {
      const { problems, ok } = validate(afterPause({ kind: 'text', text: 'Still there?' }));
      expect(ok).toBe(true);
      expect(problems).toEqual([
        expect.objectContaining({ severity: 'warning', code: 'may_send_outside_window', nodeId: 's' }),
      ]);
      expect(problems[0]?.message).toMatch(/^"Follow up" may run more than 24 h/);
    });

    it('a template sent after a pause is fine, whichever way the node spells it', () => {
      expect(validate(afterPause({ kind: 'template', text: 'reminder' })).problems).toEqual([]);
      expect(validate(afterPause({ message: { type: 'template', body: 'reminder' } })).problems).toEqual([]);
    });

    it('a free-form reply sent straight after the customer wrote is fine', () => {
      const { problems } = validate(
        graph(
          [start, node('s', 'test.send', { kind: 'text', text: 'Hi!' }), node('p', 'test.pause')],
          [edge('start', 'out', 's'), edge('s', 'out', 'p')],
        ),
      );
      expect(problems).toEqual([]);
    });
  });

  describe('overlapping triggers', () => {
    const keywordTrigger = (config: Record<string, unknown>) => node('start', 'test.keyword', config);
    const withTrigger = (trigger: GraphNode) =>
      graph([trigger, node('a', 'assign')], [edge('start', 'out', 'a')]);
    const published = (workflowId: string, workflowName: string, trigger: GraphNode) => ({
      workflowId,
      workflowName,
      node: trigger,
    });

    it("a keyword trigger equal to a live workflow's (once defaults are filled in) warns, naming that workflow", () => {
      const { problems, ok } = validate(withTrigger(keywordTrigger({ word: 'refund' })), {
        workflowId: 'wf_new',
        publishedTriggers: [
          published('wf_billing', 'Billing', keywordTrigger({ word: 'refund', caseSensitive: false })),
        ],
      });
      expect(ok).toBe(true);
      expect(problems).toEqual([
        expect.objectContaining({ severity: 'warning', code: 'overlapping_trigger', nodeId: 'start' }),
      ]);
      expect(problems[0]?.message).toContain('"Billing"');
    });

    it('different keywords do not overlap, and a workflow never overlaps its own published version', () => {
      const mine = keywordTrigger({ word: 'refund' });
      const { problems } = validate(withTrigger(mine), {
        workflowId: 'wf_billing',
        publishedTriggers: [
          published('wf_sales', 'Sales', keywordTrigger({ word: 'price' })),
          published('wf_billing', 'Billing', mine),
        ],
      });
      expect(problems).toEqual([]);
    });

    it('a live "any message" workflow overlaps a new keyword trigger, once per workflow', () => {
      const anyMessage = node('t', 'trigger.messageReceived');
      const { problems } = validate(withTrigger(keywordTrigger({ word: 'refund' })), {
        publishedTriggers: [
          published('wf_inbox', 'Inbox', anyMessage),
          published('wf_inbox', 'Inbox', anyMessage),
        ],
      });
      expect(codes(problems)).toEqual(['overlapping_trigger']);
      expect(problems[0]?.message).toContain('"Inbox"');
    });

    it('a new "new conversation" trigger overlaps any live trigger', () => {
      const { problems } = validate(newConversationToAssign('t1'), {
        publishedTriggers: [published('wf_vip', 'VIP', keywordTrigger({ word: 'vip' }))],
      });
      expect(codes(problems)).toEqual(['overlapping_trigger']);
    });
  });

  it('lists errors before warnings, node problems before connection problems, the same way every time', () => {
    const messy = graph(
      [start, node('z', 'assign'), node('m', 'assign', { teamId: '' }), node('orphan', 'assign')],
      [edge('start', 'out', 'z'), edge('z', 'unassigned', 'gone', 'e_gone'), edge('z', 'assigned', 'm')],
    );
    const first = validate(messy);
    expect(first.problems.map((p) => [p.severity, p.code, p.nodeId ?? p.edgeId])).toEqual([
      ['error', 'invalid_config', 'm'],
      ['error', 'dangling_edge', 'e_gone'],
      ['warning', 'unreachable_node', 'orphan'],
    ]);
    expect(validate(structuredClone(messy))).toEqual(first);
  });

  it('a generated workflow of 1,000 nodes and 1,200 connections, with waiting loops, validates clean', () => {
    const nodes: GraphNode[] = [start];
    const edges: GraphEdge[] = [];
    const id = (i: number) => `n${i}`;
    const isPause = (i: number) => i % 50 === 0;
    for (let i = 1; i < 1000; i++) {
      nodes.push(isPause(i) ? node(id(i), 'test.pause') : node(id(i), 'assign', { teamId: `team_${i % 7}` }));
      const previous = i === 1 ? 'start' : id(i - 1);
      const via = i === 1 ? 'out' : isPause(i - 1) ? 'out' : 'assigned';
      edges.push(edge(previous, via, id(i)));
    }
    // Unassigned conversations go back to the last pause and try again from there.
    for (let i = 51; i < 1000 && edges.length < 1200; i += 4) {
      edges.push(edge(id(i), 'unassigned', id(Math.floor(i / 50) * 50)));
    }
    expect(nodes).toHaveLength(1000);
    expect(edges).toHaveLength(1200);
    expect(validate(graph(nodes, edges))).toEqual({ problems: [], ok: true });
  });
});
