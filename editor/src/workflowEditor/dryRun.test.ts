import type { AssignEffect, AssignResult, WorkflowGraph } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { dryRun, sampleMessageEvent } from './dryRun';

const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({
  id,
  type,
  typeVersion: 1,
  position: { x: 0, y: 0 },
  config,
});
const allDay = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '00:00' }));

const graph: WorkflowGraph = {
  nodes: [
    node('start', 'trigger.newConversation'),
    node('hours', 'condition.businessHours', { timeZone: 'UTC', weekly: allDay }),
    node('skill', 'assign', {
      strategy: 'skill_match',
      teamId: 'team_support',
      skills: [{ skill: 'billing', minLevel: 1 }],
    }),
    node('ack', 'flow.waitForAcknowledgement', { timeoutMinutes: 15 }),
    node('lead', 'assign', { strategy: 'team_lead', teamId: 'team_support' }),
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'out', target: 'hours' },
    { id: 'e2', source: 'hours', sourceHandle: 'open', target: 'skill' },
    { id: 'e3', source: 'skill', sourceHandle: 'assigned', target: 'ack' },
    { id: 'e4', source: 'ack', sourceHandle: 'timeout', target: 'lead' },
  ],
};

const now = Date.UTC(2026, 10, 25, 12, 0);
const event = sampleMessageEvent({
  text: 'my invoice is wrong',
  customerWaId: '15550001111',
  customerName: 'Rita',
  businessNumberId: 'number-1',
  now,
  isNewConversation: true,
  tags: [],
});

/** Stands in for the runtime's read-only decision; records what it was asked. */
function assigner() {
  const asked: AssignEffect[] = [];
  const simulateAssign = async (effect: AssignEffect): Promise<AssignResult> => {
    asked.push(effect);
    const agentId = effect.strategy === 'team_lead' ? 'agent_ben' : 'agent_chloe';
    return {
      type: 'assign',
      assignmentId: 'dry-run',
      agentId,
      explanation: {
        strategy: effect.strategy,
        teamId: effect.teamId,
        workflowVersionId: effect.workflowVersionId,
        nodeId: effect.nodeId,
        path: effect.path,
        candidates: [],
        chosenAgentId: agentId,
        summary: `${agentId} chosen`,
      },
    };
  };
  return { asked, simulateAssign };
}

describe('dry run of a draft', () => {
  it('stops at the first wait, with the path lit and the assignment explained', async () => {
    const { asked, simulateAssign } = assigner();
    const result = await dryRun(graph, event, { now, letTimersExpire: false, simulateAssign });
    expect([...result.trail.nodes]).toEqual([
      ['start', 'passed'],
      ['hours', 'passed'],
      ['skill', 'passed'],
      ['ack', 'waiting'],
    ]);
    expect([...result.trail.edges]).toEqual(['e1', 'e2', 'e3']);
    expect(asked.map((e) => [e.nodeId, e.strategy, e.skills])).toEqual([
      ['skill', 'skill_match', [{ skill: 'billing', minLevel: 1 }]],
    ]);
    expect(result.steps.find((s) => s.assignment)?.assignment?.agentId).toBe('agent_chloe');
    expect(result.outcome).toMatch(/^Waits at ack until 2026-11-25T12:15:00/);
  });

  it('follows the timeout branch when deadlines are let pass', async () => {
    const { asked, simulateAssign } = assigner();
    const result = await dryRun(graph, event, { now, letTimersExpire: true, simulateAssign });
    expect(result.trail.nodes.get('lead')).toBe('passed');
    expect(result.trail.edges.has('e4')).toBe(true);
    expect(asked.map((e) => e.strategy)).toEqual(['skill_match', 'team_lead']);
    expect(result.outcome).toMatch(/^Completed/);
  });

  it('says so when no trigger matches', async () => {
    const { simulateAssign } = assigner();
    const reply = { ...event, isNewConversation: false };
    const result = await dryRun(graph, reply, { now, letTimersExpire: true, simulateAssign });
    expect(result.steps).toEqual([]);
    expect(result.outcome).toMatch(/No trigger/);
  });
});
