import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { createRoutedEventQueue } from '../../src/conversations/routedEventQueue';
import { type AppDatabase, openDatabase } from '../../src/db/database';
import { createRoutingActivities } from '../../src/routing/activities';
import { type RouterShardInput, routerShard, routerWorkflowId } from '../../src/routing/routerWorkflow';
import { createScheduleActivities } from '../../src/schedules/scheduledRuns';
import { createRouterWorker, WORKFLOW_STACK_TRACES_ENV } from '../../src/temporal/routerWorker';

let db: AppDatabase;
let connection: Connection;
let client: Client;
const envBefore = process.env[WORKFLOW_STACK_TRACES_ENV];

beforeAll(async () => {
  db = openDatabase(':memory:');
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
});
afterAll(async () => {
  await connection?.close();
  db?.$client.close();
  if (envBefore === undefined) delete process.env[WORKFLOW_STACK_TRACES_ENV];
  else process.env[WORKFLOW_STACK_TRACES_ENV] = envBefore;
});

/** A router worker of its own task queue, with an idle shard started on it; returns the shard's stack trace query. */
async function stackTraceOfIdleShard(stackTraces: boolean): Promise<string> {
  const taskQueue = `stack-traces-${randomUUID()}`;
  const log = pino({ level: 'silent' });
  const worker = await createRouterWorker({
    address: inject('temporalAddress'),
    namespace: 'default',
    taskQueue,
    stackTraces,
    activities: createRoutingActivities({
      db,
      applyEffects: async () => {
        throw new Error('an idle shard applies no effects');
      },
    }),
    scheduleActivities: createScheduleActivities({
      db,
      events: createRoutedEventQueue(db, 1),
      onQueued: () => {},
      log,
    }),
  });
  return worker.runUntil(async () => {
    const input: RouterShardInput = { shard: 0, highWaterMark: 0, conversations: [], pending: [], routed: 0 };
    const shard = await client.workflow.start(routerShard, {
      taskQueue,
      workflowId: routerWorkflowId(taskQueue, 0),
      args: [input],
    });
    try {
      return await shard.query<string>('__stack_trace');
    } finally {
      await shard.terminate('test over');
    }
  });
}

test('by default the router worker keeps no per-promise stacks: the stack trace query says so', async () => {
  await expect(stackTraceOfIdleShard(false)).rejects.toThrow(/stack traces are not enabled/i);
});

test('with WORKFLOW_STACK_TRACES the query shows where the shard waits', async () => {
  const stack = await stackTraceOfIdleShard(true);
  expect(stack).toContain('routerWorkflow.ts');
});
