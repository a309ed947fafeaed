import type { WorkflowGraph } from '@switchboard/shared';
import { ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sampleRoutingGraph } from '../../src/demo/sampleWorkflow';
import { DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { workflowScheduleId } from '../../src/workflows/scheduleSync';
import { eventually, postInboundText, startTestRuntime } from '../support/runtimeHarness';

let app: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  app = await startTestRuntime(inject('temporalAddress'));
});
afterAll(async () => {
  await app?.cleanup();
});

const sweep = (cron: string, timeZone: string): WorkflowGraph => ({
  nodes: [
    {
      id: 'sweep',
      type: 'trigger.schedule',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      config: { cron, timeZone, audience: 'unassigned' },
    },
    {
      id: 'tag',
      type: 'action.tag',
      typeVersion: 1,
      position: { x: 0, y: 120 },
      config: { tag: 'morning-sweep' },
    },
  ],
  edges: [{ id: 'e1', source: 'sweep', sourceHandle: 'out', target: 'tag' }],
});

async function publish(graph: WorkflowGraph): Promise<{ id: string }> {
  const reply = await app.api(`/api/workflows/${DEMO_WORKFLOW_ID}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ graph, note: 'schedule test' }),
  });
  expect(reply.status).toBe(201);
  return ((await reply.json()) as { version: { id: string } }).version;
}

const schedule = () =>
  app.client.schedule.getHandle(workflowScheduleId(app.env.TEMPORAL_TASK_QUEUE as string, DEMO_WORKFLOW_ID));

const conversationOf = (waId: string) =>
  app.db.$client.prepare(`SELECT id FROM conversations WHERE customer_wa_id = ?`).pluck().get(waId) as
    | string
    | undefined;

/** What the sweep left on a conversation: its tags, executions, trace steps and stored effect results. */
function sweptState(conversationId: string) {
  const sqlite = app.db.$client;
  const value = (sql: string) => sqlite.prepare(sql).pluck().get(conversationId);
  return {
    tags: JSON.parse(value(`SELECT tags FROM conversations WHERE id = ?`) as string) as string[],
    executions: value(`SELECT count(*) FROM executions WHERE conversation_id = ? AND status = 'completed'`),
    steps: value(
      `SELECT count(*) FROM execution_steps s JOIN executions e ON e.id = s.execution_id WHERE e.conversation_id = ?`,
    ),
    effects: value(`SELECT count(*) FROM effect_results WHERE conversation_id = ? AND type = 'done'`),
  };
}

/** Triggers a run now and waits for its workflow to finish; returns how many conversations it reached. */
async function runNow(): Promise<number> {
  const before = (await schedule().describe()).info.recentActions.length;
  const startedAt = Date.now();
  await schedule().trigger();
  const run = await eventually(async () => {
    const { recentActions } = (await schedule().describe()).info;
    return recentActions.length > before ? recentActions.at(-1) : undefined;
  });
  expect(run.takenAt.getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
  return app.client.workflow.getHandle(run.action.workflow.workflowId).result();
}

describe('a workflow that runs on a schedule, on a real Temporal dev server', () => {
  it('publishing a schedule trigger creates the Temporal schedule; a run tags only the unassigned conversation, once', async () => {
    const version = await publish(sweep('* * * * *', 'UTC'));
    // Runs are triggered by hand below; the every-minute cron must not add its own meanwhile.
    await schedule().pause('runs are triggered by the test');

    const described = await schedule().describe();
    expect(described.spec.timezone).toBe('UTC');
    expect(described.spec.calendars?.[0]).toMatchObject({
      minute: [{ start: 0, end: 59, step: 1 }],
      hour: [{ start: 0, end: 23, step: 1 }],
    });
    expect(described.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'scheduledTrigger',
      taskQueue: app.env.TEMPORAL_TASK_QUEUE,
      args: [{ workflowId: DEMO_WORKFLOW_ID, workflowVersionId: version.id, triggerNodeId: 'sweep' }],
    });

    // With the sweep published, new conversations match no trigger, so nobody assigns them.
    await postInboundText(app.url, { from: '351910000001', text: 'Olá, alguém?' });
    await postInboundText(app.url, { from: '351910000002', text: 'Bom dia' });
    const waiting = await eventually(() => conversationOf('351910000001'));
    const taken = await eventually(() => conversationOf('351910000002'));
    app.db.$client
      .prepare(`UPDATE conversations SET assignee_agent_id = 'agent_ana' WHERE id = ?`)
      .run(taken);

    expect(await runNow()).toBe(1);
    const once = await eventually(() => {
      const state = sweptState(waiting);
      return state.executions === 1 ? state : undefined;
    });
    expect(once).toEqual({ tags: ['morning-sweep'], executions: 1, steps: 2, effects: 1 });

    // The next run starts a new execution; the tag is a set, so it is still there once. Run ids carry
    // the start time to the second, and a run with the same id is taken for a retry of the first.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await runNow()).toBe(1);
    const twice = await eventually(() => {
      const state = sweptState(waiting);
      return state.executions === 2 ? state : undefined;
    });
    expect(twice).toEqual({ tags: ['morning-sweep'], executions: 2, steps: 4, effects: 2 });
    expect(sweptState(taken)).toEqual({ tags: [], executions: 0, steps: 0, effects: 0 });
    const runs = app.db.$client
      .prepare(
        `SELECT workflow_version_id, trigger_node_id, conversations FROM schedule_runs ORDER BY created_at`,
      )
      .all();
    expect(runs).toEqual([
      { workflow_version_id: version.id, trigger_node_id: 'sweep', conversations: 1 },
      { workflow_version_id: version.id, trigger_node_id: 'sweep', conversations: 1 },
    ]);
  });

  it('re-publishing updates the schedule and keeps it paused; a graph without a schedule trigger deletes it', async () => {
    const version = await publish(sweep('0 9 * * MON-FRI', 'Europe/Lisbon'));
    const described = await schedule().describe();
    expect(described.spec.timezone).toBe('Europe/Lisbon');
    expect(described.spec.calendars?.[0]).toMatchObject({
      minute: [{ start: 0, end: 0, step: 1 }],
      hour: [{ start: 9, end: 9, step: 1 }],
      dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
    });
    expect(described.action.args).toEqual([
      { workflowId: DEMO_WORKFLOW_ID, workflowVersionId: version.id, triggerNodeId: 'sweep' },
    ]);
    expect(described.state.paused).toBe(true);

    await publish(sampleRoutingGraph('team_support'));
    await expect(schedule().describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });
});
