import { afterEach, expect, it } from 'vitest';
import type { AppDatabase } from '../../src/db/database';
import { LiveHub } from '../../src/live/liveHub';
import { anAssignEffect } from '../support/assignEffect';
import { aConversation } from '../support/conversationBuilder';
import { testEffectExecutor } from '../support/effectExecutor';
import { demoDatabase } from '../support/testDatabase';

let db: AppDatabase;
afterEach(() => db?.$client.close());

it("an assignment's outcome for the shard leaves its explanation in the database", async () => {
  db = demoDatabase().db;
  const conversationId = aConversation(db, { teamId: 'team_support' });
  const effect = anAssignEffect(conversationId, {
    nodeId: 'assign_support',
    path: ['start', 'assign_support'],
    strategy: 'round_robin',
    teamId: 'team_support',
  });

  const [outcome] = await testEffectExecutor(db, new LiveHub(db))([effect], Date.now(), () => {});

  if (!outcome?.ok || outcome.result.type !== 'assign')
    throw new Error(`not an assignment: ${JSON.stringify(outcome)}`);
  expect(Object.keys(outcome.result).sort()).toEqual(['agentId', 'assignmentId', 'type']);
  const stored = db.$client
    .prepare<[string], { agentId: string; explanation: string }>(
      `SELECT agent_id AS agentId, explanation FROM assignments WHERE id = ?`,
    )
    .get(outcome.result.assignmentId);
  expect(stored?.agentId).toBe(outcome.result.agentId);
  const explanation = JSON.parse(stored?.explanation ?? 'null');
  expect(explanation).toMatchObject({
    strategy: 'round_robin',
    teamId: 'team_support',
    chosenAgentId: outcome.result.agentId,
  });
  expect(explanation.candidates.length).toBeGreaterThan(0);
});
