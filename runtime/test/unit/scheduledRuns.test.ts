import type { WorkflowGraph } from '@switchboard/shared';
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { createRoutedEventQueue } from '../../src/conversations/routedEventQueue';
import { sampleRoutingGraph } from '../../src/demo/sampleWorkflow';
import { DEMO_BUSINESS_NUMBER_ID, DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { createScheduleActivities } from '../../src/schedules/scheduledRuns';
import { count, demoDatabase } from '../support/testDatabase';

const SALES_NUMBER = '100000000000002';
/** A number without a workflow of its own: its conversations follow the workspace's first published one. */
const SPARE_NUMBER = '100000000000003';

const sweep = (audience: string): WorkflowGraph => ({
  nodes: [
    {
      id: 'sweep',
      type: 'trigger.schedule',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      config: { cron: '0 9 * * MON-FRI', timeZone: 'Europe/Lisbon', audience },
    },
    { id: 'tag', type: 'action.tag', typeVersion: 1, position: { x: 0, y: 120 }, config: { tag: 'sweep' } },
  ],
  edges: [{ id: 'e1', source: 'sweep', sourceHandle: 'out', target: 'tag' }],
});

let env: ReturnType<typeof demoDatabase>;
let activities: ReturnType<typeof createScheduleActivities>;
let wakeUps: number;

beforeEach(() => {
  env = demoDatabase();
  wakeUps = 0;
  activities = createScheduleActivities({
    db: env.db,
    events: createRoutedEventQueue(env.db, 8),
    onQueued: () => wakeUps++,
    log: pino({ level: 'silent' }),
  });
  const now = Date.now();
  env.workflows.create('wf_sales', 'Sales', now);
  env.workflows.publish('wf_sales', sampleRoutingGraph('team_sales'), '', null, now);
  const insertNumber = env.db.$client.prepare(`INSERT INTO business_numbers (id, workflow_id) VALUES (?, ?)`);
  insertNumber.run(SALES_NUMBER, 'wf_sales');
  insertNumber.run(SPARE_NUMBER, null);
  conversation('waiting');
  conversation('taken', { assignee: 'agent_ana' });
  conversation('acknowledged', { assignee: 'agent_ben', acknowledged: true });
  conversation('closed', { status: 'closed' });
  conversation('sales', { number: SALES_NUMBER });
  conversation('spare', { number: SPARE_NUMBER });
});

function conversation(
  id: string,
  options: { number?: string; assignee?: string; acknowledged?: boolean; status?: 'open' | 'closed' } = {},
): void {
  const sqlite = env.db.$client;
  sqlite.prepare(`INSERT INTO contacts (id, wa_id) VALUES (?, ?)`).run(`contact-${id}`, `wa-${id}`);
  sqlite
    .prepare(
      `INSERT INTO conversations (id, business_number_id, contact_id, customer_wa_id, status, assignee_agent_id, acknowledged_at, opened_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      options.number ?? DEMO_BUSINESS_NUMBER_ID,
      `contact-${id}`,
      `wa-${id}`,
      options.status ?? 'open',
      options.assignee ?? null,
      options.acknowledged ? Date.now() : null,
      Date.now(),
    );
}

/** Publishes the sweep for `audience` and runs it once, as the schedule's workflow would. */
async function runSweep(audience: string, runKey = `run-${audience}`) {
  const version = env.workflows.publish(DEMO_WORKFLOW_ID, sweep(audience), '', null, Date.now());
  const input = {
    workflowId: DEMO_WORKFLOW_ID,
    workflowVersionId: version.id,
    triggerNodeId: 'sweep',
    runKey,
    scheduledAt: Date.UTC(2026, 10, 25, 9),
  };
  return { version, input, result: await activities.enqueueScheduledRun(input) };
}

function queuedEvents(): { conversationId: string; payload: Record<string, unknown> }[] {
  return env.db.$client
    .prepare(`SELECT conversation_id AS conversationId, payload FROM outbox ORDER BY seq`)
    .all()
    .map((row) => {
      const { conversationId, payload } = row as { conversationId: string; payload: string };
      return { conversationId, payload: JSON.parse(payload) };
    });
}

describe('a scheduled run queues the sweep', () => {
  it('reaches the open, unassigned conversations of the workflow, on the version the schedule was made for', async () => {
    const { version, result } = await runSweep('unassigned');

    expect(result).toEqual({ conversations: 2 });
    const queued = queuedEvents();
    expect(queued.map((row) => row.conversationId)).toEqual(['spare', 'waiting']);
    expect(queued[0]?.payload).toMatchObject({
      type: 'schedule.fired',
      triggerNodeId: 'sweep',
      workflowVersionId: version.id,
      scheduledAt: Date.UTC(2026, 10, 25, 9),
      facts: { assigneeAgentId: null },
    });
    expect(wakeUps).toBe(1);
  });

  it('a retried run (same key) queues nothing a second time', async () => {
    const first = await runSweep('unassigned', 'sweep-2026-11-25T09:00:00Z');
    const again = await activities.enqueueScheduledRun(first.input);

    expect(again).toEqual(first.result);
    expect(count(env.db, 'outbox')).toBe(2);
    expect(count(env.db, 'schedule_runs')).toBe(1);
  });

  it('"all open" takes assigned ones too; "unacknowledged" only those given to an agent who has not taken them', async () => {
    await runSweep('all_open');
    expect(queuedEvents().map((row) => row.conversationId)).toEqual([
      'acknowledged',
      'spare',
      'taken',
      'waiting',
    ]);

    env.db.$client.prepare(`DELETE FROM outbox`).run();
    await runSweep('unacknowledged');
    expect(queuedEvents().map((row) => row.conversationId)).toEqual(['taken']);
  });

  it('a schedule whose version has no such schedule trigger fails for good instead of retrying', async () => {
    const { version } = await runSweep('unassigned');
    await expect(
      activities.enqueueScheduledRun({
        workflowId: DEMO_WORKFLOW_ID,
        workflowVersionId: version.id,
        triggerNodeId: 'tag',
        runKey: 'orphan-run',
        scheduledAt: Date.now(),
      }),
    ).rejects.toMatchObject({ nonRetryable: true, type: 'ScheduleTriggerMissing' });
  });
});
