import { randomUUID } from 'node:crypto';
import type { AssignEffect } from '@switchboard/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { AssignmentError, createAssignConversation } from '../../src/assignment/assignConversation';
import type { AppDatabase } from '../../src/db/database';
import { count, demoDatabase } from '../support/testDatabase';

let db: AppDatabase;
let assign: ReturnType<typeof createAssignConversation>;

beforeEach(() => {
  db = demoDatabase().db;
  assign = createAssignConversation(db);
});

/** A conversation row and the assign effect a router shard would send for it. */
function conversationToAssign(teamId = 'team_support', key = randomUUID()): AssignEffect {
  const conversationId = randomUUID();
  const waId = `55${Math.floor(Math.random() * 1e11)}`;
  db.$client.prepare(`INSERT INTO contacts (id, wa_id) VALUES (?, ?)`).run(conversationId, waId);
  db.$client
    .prepare(
      `INSERT INTO conversations (id, business_number_id, contact_id, customer_wa_id) VALUES (?, 'n1', ?, ?)`,
    )
    .run(conversationId, conversationId, waId);
  return {
    type: 'assign',
    key,
    conversationId,
    executionId: `${conversationId}:1`,
    workflowVersionId: 'v1',
    nodeId: 'assign',
    strategy: 'round_robin',
    teamId,
    path: ['start', 'assign'],
  };
}

const setAgent = (id: string, fields: { status?: string; capacity?: number }) => {
  if (fields.status) db.$client.prepare(`UPDATE agents SET status = ? WHERE id = ?`).run(fields.status, id);
  if (fields.capacity !== undefined)
    db.$client.prepare(`UPDATE agents SET capacity = ? WHERE id = ?`).run(fields.capacity, id);
};

describe('round-robin assignment', () => {
  it('gives 1,000 conversations to the 4 support agents 250 each', () => {
    db.$client.prepare(`UPDATE agents SET capacity = 1000`).run();
    const perAgent = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const decision = assign(conversationToAssign(), i);
      perAgent.set(decision.agentId ?? 'none', (perAgent.get(decision.agentId ?? 'none') ?? 0) + 1);
    }
    expect(Object.fromEntries(perAgent)).toEqual({
      agent_ana: 250,
      agent_ben: 250,
      agent_chloe: 250,
      agent_dev: 250,
    });
  });

  it('goes round in id order and continues after the previous pick', () => {
    const picks = Array.from({ length: 6 }, (_, i) => assign(conversationToAssign(), i).agentId);
    expect(picks).toEqual(['agent_ana', 'agent_ben', 'agent_chloe', 'agent_dev', 'agent_ana', 'agent_ben']);
  });

  it('skips offline agents and agents at capacity, and says so', () => {
    setAgent('agent_ana', { status: 'offline' });
    setAgent('agent_ben', { capacity: 0 });
    const decision = assign(conversationToAssign(), 1);
    expect(decision.agentId).toBe('agent_chloe');
    expect(decision.explanation.candidates.map((c) => [c.agentId, c.skipReason ?? 'eligible'])).toEqual([
      ['agent_ana', 'offline'],
      ['agent_ben', 'at_capacity'],
      ['agent_chloe', 'eligible'],
      ['agent_dev', 'eligible'],
    ]);
    expect(decision.explanation.summary).toBe(
      'Round-robin in Support: Chloé Martin was next in the rotation; skipped Ana Souza (offline), Ben Carter (at capacity).',
    );
  });

  it('counts open conversations against capacity', () => {
    for (const id of ['agent_ana', 'agent_ben', 'agent_chloe', 'agent_dev']) setAgent(id, { capacity: 1 });
    const first = Array.from({ length: 4 }, (_, i) => assign(conversationToAssign(), i).agentId);
    expect(new Set(first).size).toBe(4);
    const fifth = assign(conversationToAssign(), 5);
    expect(fifth.agentId).toBeNull();
    expect(
      fifth.explanation.candidates.every((c) => c.skipReason === 'at_capacity' && c.openConversations === 1),
    ).toBe(true);
  });

  it('the same effect key returns the earlier decision and assigns nothing new', () => {
    const effect = conversationToAssign();
    const first = assign(effect, 1);
    const again = assign(effect, 2);
    expect(again).toEqual({ ...first, created: false });
    expect(count(db, 'assignments')).toBe(1);
    // The rotation did not move either: the next conversation goes to the next agent.
    expect(assign(conversationToAssign(), 3).agentId).toBe('agent_ben');
  });

  it('stores the owner on the conversation and the explanation on the assignment', () => {
    const effect = conversationToAssign();
    const decision = assign(effect, 1);
    const owner = db.$client
      .prepare(`SELECT assignee_agent_id, team_id FROM conversations WHERE id = ?`)
      .get(effect.conversationId);
    expect(owner).toEqual({ assignee_agent_id: decision.agentId, team_id: 'team_support' });
    const stored = db.$client
      .prepare(`SELECT explanation FROM assignments WHERE effect_key = ?`)
      .pluck()
      .get(effect.key) as string;
    expect(JSON.parse(stored)).toMatchObject({
      strategy: 'round_robin',
      path: ['start', 'assign'],
      chosenAgentId: 'agent_ana',
    });
  });

  it('an unknown team is an AssignmentError (not retried), and nothing is stored', () => {
    expect(() => assign(conversationToAssign('team_nope'), 1)).toThrow(AssignmentError);
    expect(count(db, 'assignments')).toBe(0);
  });
});
