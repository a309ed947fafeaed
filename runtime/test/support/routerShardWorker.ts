import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type RouterShardInput, routerShard, routerWorkflowId } from '../../src/routing/routerWorkflow';
import type { RoutingActivities } from '../../src/routing/routingActivities';
import { RouterWorker, routerWorkflowCodeOptions } from '../../src/temporal/routerWorker';

const require = createRequire(import.meta.url);

/**
 * Runs `body` with a worker hosting the real router workflow, on a task queue of its own: the
 * product's RouterWorker (workflows on the main thread, no isolate execution timeout), as the runtime
 * runs them.
 */
export async function withRouterWorker<T>(
  env: TestWorkflowEnvironment,
  activities: RoutingActivities,
  body: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const taskQueue = `router-${randomUUID()}`;
  const worker = await RouterWorker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../../src/routing/routerWorkflow.ts'),
    ...routerWorkflowCodeOptions,
    activities,
  });
  try {
    return await worker.runUntil(body(taskQueue));
  } finally {
    await stopShardOf(env, taskQueue);
  }
}

/**
 * Ends the shard a test started (shard 0, as `startShard` starts it) once its worker has stopped.
 * Left running, a shard whose worker is gone keeps workflow tasks pending on a task queue nobody
 * polls, and the time-skipping server does not skip time past them: the next test in the same
 * environment waited them out in real time (a 10 s test took 77 s, and ran past its 120 s limit in a
 * full run). Terminated while its worker still ran, a shard left the server's clock stuck for every
 * later test.
 */
async function stopShardOf(env: TestWorkflowEnvironment, taskQueue: string): Promise<void> {
  const shard = env.client.workflow.getHandle(routerWorkflowId(taskQueue, 0));
  try {
    await shard.terminate('test over');
  } catch (error) {
    // Never started, or already over: nothing is left running.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
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
