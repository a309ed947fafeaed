import type { WorkflowVersion } from '@switchboard/shared';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { WorkflowStore } from '../workflows/workflowStore';
import {
  moveAtSafePointSignal,
  type RouterShardInput,
  routerShard,
  routerWorkflowId,
  type SafePointMove,
  SHARD_TASK_TIMEOUT,
} from './routerWorkflow';

export interface SafePointAnnouncerOptions {
  client: Client;
  taskQueue: string;
  shardCount: number;
  workflows: WorkflowStore;
  log: Logger;
}

/**
 * Tells every router shard about versions published with `move_at_safe_point`. Through a signal,
 * so each shard learns it as an event of its own history (deterministic on replay). A shard that
 * never started is started, as the dispatcher would: events queued before the publish may yet
 * start executions on the earlier version there.
 */
export function createSafePointAnnouncer(options: SafePointAnnouncerOptions) {
  const { client, taskQueue, shardCount, workflows, log } = options;

  async function announce(move: SafePointMove): Promise<void> {
    const initial: RouterShardInput = {
      shard: 0,
      highWaterMark: 0,
      conversations: [],
      pending: [],
      routed: 0,
    };
    await Promise.all(
      Array.from({ length: shardCount }, (_, shard) =>
        client.workflow.signalWithStart(routerShard, {
          workflowId: routerWorkflowId(taskQueue, shard),
          taskQueue,
          args: [{ ...initial, shard }],
          signal: moveAtSafePointSignal,
          signalArgs: [move],
          workflowTaskTimeout: SHARD_TASK_TIMEOUT,
        }),
      ),
    );
  }

  return {
    /**
     * After a publish or rollback; a `stay` version announces nothing. The version is published
     * whatever happens here, so a failure is logged, not answered: the next start-up announces again.
     */
    async afterPublish(version: WorkflowVersion): Promise<void> {
      const move = workflows.safePointMoves().find((candidate) => candidate.to.versionId === version.id);
      if (!move) return;
      try {
        await announce(move);
      } catch (error) {
        log.error({ err: error, workflowId: move.workflowId }, 'could not announce a move at safe point');
      }
    },

    /**
     * At start-up, every workflow's newest move again: an announcement lost to a crash or to Temporal
     * being away at publish time arrives now; shards that know it already ignore it.
     */
    async announceAll(): Promise<void> {
      for (const move of workflows.safePointMoves()) {
        try {
          await announce(move);
        } catch (error) {
          log.error({ err: error, workflowId: move.workflowId }, 'could not announce a move at safe point');
        }
      }
    },
  };
}
