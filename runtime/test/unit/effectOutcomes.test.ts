import { afterEach, expect, it } from 'vitest';
import type { AppDatabase } from '../../src/db/database';
import { seedDemoWorkspace } from '../../src/demo/seedDemo';
import { LiveHub } from '../../src/live/liveHub';
import { createWorkflowStore } from '../../src/workflows/workflowStore';
import { anAssignEffect } from '../support/assignEffect';
import { aConversation } from '../support/conversationBuilder';
import { testEffectExecutor } from '../support/effectExecutor';
import { demoDatabase, fileDatabaseWithWorker, timerTurns } from '../support/testDatabase';

let db: AppDatabase;
afterEach(() => db?.$client.close());

/** A workflow's close or reopen, as the interpreter would ask for it. */
const statusEffect = (conversationId: string, status: 'open' | 'closed', key: string) => ({
  type: 'setStatus' as const,
  key,
  conversationId,
  executionId: `exec-${conversationId}`,
  workflowVersionId: 'v-1',
  nodeId: 'status',
  status,
});

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

it("an assignment's push is journaled by the worker and announced by its number; a retry keeps the one row", async () => {
  db = demoDatabase().db;
  const conversationId = aConversation(db, { teamId: 'team_support' });
  const effect = anAssignEffect(conversationId, {
    nodeId: 'assign_ana',
    strategy: 'specific_agent',
    teamId: null,
    agentId: 'agent_ana',
  });
  const journalRows = db.$client.prepare<[], { seq: number; agentId: string; message: string }>(
    `SELECT seq, agent_id AS agentId, message FROM live_events ORDER BY seq`,
  );
  // What the runtime hears from the worker process: numbers only.
  const announced: number[] = [];
  const live = {
    publish: () => {},
    publishAll: () => {},
    journaledThrough: (seq: number) => announced.push(seq),
  };
  const applyEffects = testEffectExecutor(db, live);
  const [outcome] = await applyEffects([effect], Date.now(), () => {});

  const rows = journalRows.all();
  const push = rows.find((row) => JSON.parse(row.message).type === 'assignment.created');
  expect(push?.agentId).toBe('agent_ana');
  expect(JSON.parse(push?.message ?? '{}').assignment).toMatchObject({
    conversationId,
    agentId: 'agent_ana',
    explanation: { chosenAgentId: 'agent_ana' },
  });
  expect(outcome?.ok && outcome.result.type === 'assign' && outcome.result.assignmentId).toBe(
    JSON.parse(push?.message ?? '{}').assignment.id,
  );
  expect(announced).toEqual([Math.max(...rows.map((row) => row.seq))]);

  // Retried (the shard never heard of the outcome): the same assignment, its push still one row,
  // and announced again (with the batch's news, which are journaled anew).
  await applyEffects([effect], Date.now(), () => {});
  const pushes = journalRows.all().filter((row) => JSON.parse(row.message).type === 'assignment.created');
  expect(pushes).toEqual([push]);
  expect(announced).toHaveLength(2);
  expect(announced[1]).toBeGreaterThanOrEqual(push?.seq ?? Number.POSITIVE_INFINITY);
});

it('an assignment that fails in a batch fails alone: the others are assigned once, the trace written once', async () => {
  db = demoDatabase().db;
  const roundRobin = (conversationId: string, teamId = 'team_support') =>
    anAssignEffect(conversationId, { nodeId: 'assign', strategy: 'round_robin', teamId });
  const [first, broken, last] = [aConversation(db), aConversation(db), aConversation(db)];
  db.$client.exec(`CREATE TEMP TABLE trace (at INTEGER)`);
  const traceRow = db.$client.prepare(`INSERT INTO trace (at) VALUES (1)`);

  const outcomes = await testEffectExecutor(db, new LiveHub(db))(
    [roundRobin(first), roundRobin(broken, 'team_gone'), roundRobin(last)],
    Date.now(),
    () => traceRow.run(),
  );

  expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
  expect(outcomes[1]).toMatchObject({ error: 'team "team_gone" does not exist' });
  const assignments = db.$client
    .prepare<[], { conversationId: string; agentId: string }>(
      `SELECT conversation_id AS conversationId, agent_id AS agentId FROM assignments ORDER BY rowid`,
    )
    .all();
  expect(assignments.map((row) => row.conversationId)).toEqual([first, last]);
  // Round-robin moved once per assignment: two different agents.
  expect(new Set(assignments.map((row) => row.agentId)).size).toBe(2);
  const open = db.$client.prepare(`SELECT sum(open_conversations) FROM agents`).pluck().get();
  expect(open).toBe(2);
  expect(db.$client.prepare(`SELECT count(*) FROM trace`).pluck().get()).toBe(1);
});

it('a conversation closed in the middle of a batch frees its owner for the batch’s next decisions', async () => {
  db = demoDatabase().db;
  db.$client.exec(`UPDATE agents SET capacity = 100`);
  const owned = (agent: string, n: number) =>
    Array.from({ length: n }, () => aConversation(db, { assignee: agent, teamId: 'team_support' }));
  owned('agent_ana', 1);
  const bens = owned('agent_ben', 3);
  owned('agent_chloe', 2);
  owned('agent_dev', 2);
  const leastLoaded = (conversationId: string) =>
    anAssignEffect(conversationId, { nodeId: 'assign', strategy: 'least_loaded', teamId: 'team_support' });
  const close = (conversationId: string) => statusEffect(conversationId, 'closed', `close-${conversationId}`);
  const [first, second] = [aConversation(db, { teamId: null }), aConversation(db, { teamId: null })];

  // The batch reads Support's loads for `first` (Ana 1, Ben 3), then Ben's two closes drop his to 1.
  const outcomes = await testEffectExecutor(db, new LiveHub(db))(
    [leastLoaded(first), close(bens[0] as string), close(bens[1] as string), leastLoaded(second)],
    Date.now(),
    () => {},
  );

  const agents = outcomes.map((outcome) =>
    outcome.ok && outcome.result.type === 'assign' ? outcome.result.agentId : null,
  );
  expect(agents).toEqual(['agent_ana', null, null, 'agent_ben']);
});

it('a note whose mention was not yet notified when the worker died notifies it on the retry, once', async () => {
  db = demoDatabase().db;
  const conversationId = aConversation(db);
  const note = {
    type: 'note' as const,
    key: `note-${conversationId}`,
    conversationId,
    executionId: `exec-${conversationId}`,
    workflowVersionId: 'v-1',
    nodeId: 'note',
    text: '@ben please look',
    mentions: ['agent_ben', 'agent_nobody'],
  };
  const run = testEffectExecutor(db, new LiveHub(db));
  // The first attempt dies after the note's commit, before its notification is written.
  db.$client.exec(
    `CREATE TEMP TRIGGER worker_dies BEFORE INSERT ON notifications BEGIN SELECT RAISE(FAIL, 'killed'); END`,
  );
  await expect(run([note], Date.now(), () => {})).rejects.toThrow('killed');
  db.$client.exec(`DROP TRIGGER worker_dies`);

  for (let attempt = 0; attempt < 2; attempt++) {
    const [outcome] = await run([note], Date.now(), () => {});
    expect(outcome?.ok).toBe(true);
  }

  const count = (sql: string) => db.$client.prepare(sql).pluck().get(conversationId);
  expect(count(`SELECT count(*) FROM notes WHERE conversation_id = ?`)).toBe(1);
  const notified = db.$client
    .prepare<[string], string>(`SELECT agent_id FROM notifications WHERE conversation_id = ?`)
    .pluck()
    .all(conversationId);
  expect(notified).toEqual(['agent_ben']);
});

it('a note and a notification while the runtime holds the write lock wait with the worker’s event loop free', async () => {
  const lockable = fileDatabaseWithWorker('note-effect');
  try {
    seedDemoWorkspace(lockable.db, createWorkflowStore(lockable.db), Date.now());
    const conversationId = aConversation(lockable.db);
    const context = {
      conversationId,
      executionId: `exec-${conversationId}`,
      workflowVersionId: 'v-1',
    };
    const effects = [
      {
        ...context,
        type: 'note' as const,
        key: 'note-1',
        nodeId: 'note',
        text: '@ben look',
        mentions: ['agent_ben'],
      },
      {
        ...context,
        type: 'notify' as const,
        key: 'notify-1',
        nodeId: 'notify',
        to: { kind: 'agents' as const, agentIds: ['agent_chloe'] },
        channels: ['in_app' as const],
        title: 'New VIP',
        body: 'A VIP wrote',
        slackWebhookUrl: null,
      },
    ];
    // The runtime takes the lock right after the batch's local commit (the trace's, which runs in
    // it), before the note is written.
    let locked = false;
    const lockAfterCommit = () =>
      queueMicrotask(() => {
        lockable.worker.exec('BEGIN IMMEDIATE');
        locked = true;
      });
    const live = { publish: () => {}, publishAll: () => {}, journaledThrough: () => {} };
    let settled = false;
    const applying = testEffectExecutor(lockable.db, live)(effects, Date.now(), lockAfterCommit).finally(
      () => {
        settled = true;
      },
    );
    // Waiting inside SQLite's busy handler would keep these timers from firing.
    expect(await timerTurns(20)).toBe(20);
    expect(locked).toBe(true);
    expect(settled).toBe(false);
    lockable.worker.exec('COMMIT');
    expect((await applying).map((outcome) => outcome.ok)).toEqual([true, true]);
    const notified = lockable.db.$client
      .prepare<[string], string>(
        `SELECT agent_id FROM notifications WHERE conversation_id = ? ORDER BY agent_id`,
      )
      .pluck()
      .all(conversationId);
    expect(notified).toEqual(['agent_ben', 'agent_chloe']);
  } finally {
    lockable.close();
  }
});

it("a workflow's reopen starts a new open period, as an agent's does; reopening an open conversation changes nothing", async () => {
  db = demoDatabase().db;
  const openedAt = Date.UTC(2026, 10, 2, 9, 0);
  const conversationId = aConversation(db, { receivedAt: openedAt });
  const setStatus = (status: 'open' | 'closed', attempt: number) =>
    statusEffect(conversationId, status, `status-${attempt}`);
  const conversation = db.$client.prepare<
    [string],
    { status: string; openedAt: number; closedAt: number | null }
  >(`SELECT status, opened_at AS openedAt, closed_at AS closedAt FROM conversations WHERE id = ?`);
  const run = testEffectExecutor(db, new LiveHub(db));

  await run([setStatus('open', 1)], openedAt + 60_000, () => {});
  expect(conversation.get(conversationId)).toEqual({ status: 'open', openedAt, closedAt: null });
  await run([setStatus('closed', 2)], openedAt + 120_000, () => {});
  await run([setStatus('open', 3)], openedAt + 180_000, () => {});
  // SLA clocks belong to an open period (see the inbox's SLA column): the old one's are over.
  expect(conversation.get(conversationId)).toEqual({
    status: 'open',
    openedAt: openedAt + 180_000,
    closedAt: null,
  });
});
