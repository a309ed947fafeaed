import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Logger } from 'pino';
import { routerWorkflowId, shardStatusQuery } from './routerWorkflow';

/**
 * Temporal's defaults: it warns past 10 MB of one run's history and fails the run at 50 MB. A shard
 * run's history grows with its live conversations, ~0.4 KB each, read back from the checkpoint at
 * every continue-as-new (README: "what a shard's history holds"), so a shard carrying about 18,000
 * conversations reaches the warning and roughly 120,000 the limit.
 */
export const TEMPORAL_HISTORY_WARN_BYTES = 10 * 1024 * 1024;
export const TEMPORAL_HISTORY_LIMIT_BYTES = 50 * 1024 * 1024;

/** A busy worker answers queries late; a health read must not hang on one shard. */
const QUERY_DEADLINE_MS = 5000;

/** One shard's current run as Temporal and the shard itself see it. */
export interface ShardHealth {
  shard: number;
  workflowId: string;
  runId: string | null;
  /**
   * Temporal's name for the run's state (RUNNING, …), or NOT_STARTED for a shard that has routed
   * nothing yet (its workflow starts with its first batch); null when it could not be described.
   */
  status: string | null;
  historyEvents: number | null;
  historyBytes: number | null;
  /** From the shard's status query; null when it did not answer in time. */
  liveConversations: number | null;
  pendingDeadlines: number | null;
  /** Why the run's history needs attention; null when it is well under Temporal's warning. */
  warning: string | null;
  /** What failed while reading this shard (describe or query), else null. */
  error: string | null;
}

export interface ShardHealthOptions {
  client: Client;
  taskQueue: string;
  shardCount: number;
  log: Logger;
  /** History size from which a shard is reported and logged; Temporal's warning by default. */
  warnBytes?: number;
}

const megabytes = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

function historyWarning(health: ShardHealth, warnBytes: number): string | null {
  if (health.historyBytes === null || health.historyBytes < warnBytes) return null;
  const live = health.liveConversations === null ? 'its' : `its ${health.liveConversations}`;
  return (
    `run history ${megabytes(health.historyBytes)} MB; Temporal fails a run at ` +
    `${megabytes(TEMPORAL_HISTORY_LIMIT_BYTES)} MB. Every continue-as-new reads ${live} live ` +
    'conversations back into the new run (~0.4 KB each): a deployment that keeps more live ' +
    'conversations needs more shards (SHARD_COUNT, chosen for a new data directory)'
  );
}

/**
 * Reads how each router shard's current run stands: the history size Temporal counts toward its
 * limits, and the live conversations and deadlines the shard holds. `watch` logs a warning once per
 * run whose history has passed `warnBytes`.
 */
export function createShardHealth(options: ShardHealthOptions) {
  const warnBytes = options.warnBytes ?? TEMPORAL_HISTORY_WARN_BYTES;
  const shards = Array.from({ length: options.shardCount }, (_, shard) => shard);

  const readShard = async (shard: number): Promise<ShardHealth> => {
    const workflowId = routerWorkflowId(options.taskQueue, shard);
    const health: ShardHealth = {
      shard,
      workflowId,
      runId: null,
      status: null,
      historyEvents: null,
      historyBytes: null,
      liveConversations: null,
      pendingDeadlines: null,
      warning: null,
      error: null,
    };
    const handle = options.client.workflow.getHandle(workflowId);
    const errors: string[] = [];
    try {
      const description = await handle.describe();
      health.runId = description.runId;
      health.status = description.status.name;
      health.historyEvents = description.historyLength;
      health.historyBytes = description.historySize ?? null;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) health.status = 'NOT_STARTED';
      else errors.push(`describe: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (health.status === 'RUNNING') {
      try {
        const status = await options.client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
          handle.query(shardStatusQuery),
        );
        health.liveConversations = status.liveConversations;
        health.pendingDeadlines = status.pendingDeadlines;
      } catch (error) {
        errors.push(`status query: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    health.warning = historyWarning(health, warnBytes);
    health.error = errors.length > 0 ? errors.join('; ') : null;
    return health;
  };

  const read = (): Promise<ShardHealth[]> => Promise.all(shards.map(readShard));

  /** Each shard's run last warned about: one line per run, not one per check. */
  const warnedRun = new Map<number, string>();
  const check = async (): Promise<ShardHealth[]> => {
    const report = await read();
    for (const health of report) {
      if (!health.warning || !health.runId || warnedRun.get(health.shard) === health.runId) continue;
      warnedRun.set(health.shard, health.runId);
      options.log.warn(
        { shard: health.shard, runId: health.runId, historyBytes: health.historyBytes },
        `router shard ${health.shard}: ${health.warning}`,
      );
    }
    return report;
  };

  const watch = (intervalMs: number): (() => void) => {
    let checking = false;
    const timer = setInterval(() => {
      // A slow check (a busy worker answering late) must not stack up behind itself.
      if (checking) return;
      checking = true;
      check()
        .catch((error: unknown) => options.log.warn({ err: error }, 'router shard health check failed'))
        .finally(() => {
          checking = false;
        });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  };

  return { read, check, watch };
}
