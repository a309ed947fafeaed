import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type RouterShardInput, routerShard, routerWorkflowId } from '../../src/routing/routerWorkflow';
import type { RoutingActivities } from '../../src/routing/routingActivities';
import { routerWorkflowCodeOptions } from '../../src/temporal/routerWorker';

const require = createRequire(import.meta.url);

/** Runs `body` with a worker hosting the real router workflow, on a task queue of its own. */
export async function withRouterWorker<T>(
  env: TestWorkflowEnvironment,
  activities: RoutingActivities,
  body: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const taskQueue = `router-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../../src/routing/routerWorkflow.ts'),
    ...routerWorkflowCodeOptions,
    activities,
  });
  return worker.runUntil(body(taskQueue));
}

/** Starts shard 0 on `taskQueue`: a first run with nothing carried, unless `input` says otherwise. */
export function startShard(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  input: Partial<RouterShardInput> = {},
) {
  const args: RouterShardInput = {
    shard: 0,
    highWaterMark: 0,
    conversations: [],
    pending: [],
    routed: 0,
    ...input,
  };
  return env.client.workflow.start(routerShard, {
    taskQueue,
    workflowId: routerWorkflowId(taskQueue, args.shard),
    args: [args],
  });
}
