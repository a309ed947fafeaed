import type { WorkflowGraph } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { humanizeType, summarizeConfig } from './nodeSummary';
import { FLOW_NODE_TYPE, toFlow } from './toFlow';

const graph: WorkflowGraph = {
  nodes: [
    {
      id: 'start',
      type: 'trigger.messageReceived',
      typeVersion: 1,
      position: { x: 0, y: 40 },
      config: {},
    },
    {
      id: 'hours',
      type: 'condition.businessHours',
      typeVersion: 1,
      position: { x: 240, y: 40 },
      config: { timeZone: 'Europe/Lisbon' },
      label: 'Open now?',
    },
    {
      id: 'support',
      type: 'assign',
      typeVersion: 1,
      position: { x: 480, y: -20 },
      config: { strategy: 'round_robin', teamId: 'team_support' },
    },
    {
      id: 'later',
      type: 'reply',
      typeVersion: 2,
      position: { x: 480, y: 120 },
      config: { text: 'We are closed', delayMs: 0 },
    },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'out', target: 'hours' },
    { id: 'e2', source: 'hours', sourceHandle: 'true', target: 'support' },
    { id: 'e3', source: 'hours', sourceHandle: 'false', target: 'later' },
    { id: 'e4', source: 'hours', sourceHandle: 'true', target: 'later' },
  ],
};

function node(id: string) {
  const found = toFlow(graph).nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

describe('toFlow', () => {
  it('keeps every node, with its id and position, rendered through the card type', () => {
    const { nodes } = toFlow(graph);
    expect(nodes.map((n) => n.id)).toEqual(['start', 'hours', 'support', 'later']);
    expect(nodes.every((n) => n.type === FLOW_NODE_TYPE)).toBe(true);
    expect(node('support').position).toEqual({ x: 480, y: -20 });
    expect(node('start').position).toEqual({ x: 0, y: 40 });
  });

  it('derives one source handle per distinct outgoing sourceHandle, in edge order', () => {
    expect(node('start').data.sourceHandles).toEqual(['out']);
    expect(node('hours').data.sourceHandles).toEqual(['true', 'false']);
    expect(node('support').data.sourceHandles).toEqual([]);
  });

  it('gives triggers no target handle and every other node one', () => {
    expect(node('start').data.hasTarget).toBe(false);
    expect(node('hours').data.hasTarget).toBe(true);
    expect(node('later').data.hasTarget).toBe(true);
  });

  it('maps edges onto the named source handles', () => {
    expect(toFlow(graph).edges).toEqual([
      { id: 'e1', source: 'start', sourceHandle: 'out', target: 'hours' },
      { id: 'e2', source: 'hours', sourceHandle: 'true', target: 'support' },
      { id: 'e3', source: 'hours', sourceHandle: 'false', target: 'later' },
      { id: 'e4', source: 'hours', sourceHandle: 'true', target: 'later' },
    ]);
  });

  it('labels nodes by their label, else by their type', () => {
    expect(node('hours').data.title).toBe('Open now?');
    expect(node('start').data.title).toBe('Message received');
    expect(node('support').data.title).toBe('Assign');
    expect(node('later').data.nodeType).toBe('reply');
  });

  it('summarises config on one line', () => {
    expect(node('start').data.summary).toBe('any inbound message');
    expect(node('support').data.summary).toBe('round robin · team_support');
    expect(node('later').data.summary).toBe('text=We are closed · delayMs=0');
  });

  it('does not mutate the domain graph', () => {
    const before = structuredClone(graph);
    for (const flowNode of toFlow(graph).nodes) flowNode.position.x = 999;
    expect(graph).toEqual(before);
  });

  it('handles an empty graph', () => {
    expect(toFlow({ nodes: [], edges: [] })).toEqual({ nodes: [], edges: [] });
  });
});

describe('node summaries', () => {
  it('humanises dotted camelCase types', () => {
    expect(humanizeType('condition.businessHours')).toBe('Condition: business hours');
  });

  it('uses the catalog summary for known types, key=value for unknown ones', () => {
    expect(summarizeConfig('trigger.messageReceived', {})).toBe('any inbound message');
    expect(summarizeConfig('action.tag', { tag: 'vip' })).toBe('+ vip');
    expect(summarizeConfig('tag.add', { tags: ['vip', 'pt'], urgent: true })).toBe(
      'tags=[vip,pt] · urgent=true',
    );
    expect(summarizeConfig('noop', {})).toBe('no settings');
  });

  it('shows the raw settings when a known type has an invalid config', () => {
    expect(summarizeConfig('assign', { strategy: 'least_busy', teamId: 'team_sales' })).toBe(
      'strategy=least_busy · teamId=team_sales',
    );
  });
});

describe('highlights on the read-only canvas', () => {
  it('marks only the nodes it is given', () => {
    const { nodes } = toFlow(graph, new Map([['hours', 'passed' as const]]));
    expect(nodes.find((n) => n.id === 'hours')?.data.highlight).toBe('passed');
    expect(nodes.find((n) => n.id === 'start')?.data).not.toHaveProperty('highlight');
  });
});
