import type { Client } from '@temporalio/client';
import {
  compactShardSignal,
  type routerShard,
  routerWorkflowId,
  shardStatusQuery,
} from '../src/routing/routerWorkflow';
import { sleep } from './pacing';

/** A busy worker answers queries late; a progress line must not wait for it for long. */
const QUERY_DEADLINE_MS = 5000;
const HISTORY_PAGE_EVENTS = 4;

export interface ShardTotals {
  liveConversations: number;
  pendingDeadlines: number;
  /** Shards that answered the status query in time; the totals cover only them. */
  answered: number;
}

/** A shard's current run as Temporal sees it: a task failing over and over means a stuck shard. */
export interface ShardHealth {
  shard: number;
  runId: string | null;
  historyEvents: number | null;
  historyBytes: number | null;
  /** Attempt of the workflow task in progress; above 1, the earlier attempts failed. */
  pendingTaskAttempt: number | null;
  /** Workflow task failures recorded in the current run, by message. */
  taskFailures: Record<string, number>;
  error: string | null;
}

export interface ShardCompaction {
  shard: number;
  runIdBefore: string | null;
  runIdAfter: string | null;
  secondsToNewRun: number | null;
  error: string | null;
}

/** Looks into the router shard workflows from outside, as an operator would. */
export class ShardProbe {
  /** Highest `liveConversations` each shard reported, over all samples. */
  readonly peakLive: number[];
  /** The most recent sample's totals; null before the first one. */
  latest: ShardTotals | null = null;
  /** Status queries that failed or timed out, and the last reason. */
  failedQueries = 0;
  lastError: string | null = null;

  constructor(
    private readonly client: Client,
    private readonly namespace: string,
    private readonly taskQueue: string,
    private readonly shardCount: number,
  ) {
    this.peakLive = new Array<number>(shardCount).fill(0);
  }

  /**
   * Samples every `intervalMs` until the returned function is called. Frequent enough to catch the
   * peak right after posting, which acknowledgements start to wear down within seconds.
   */
  watch(intervalMs: number): () => void {
    let sampling = false;
    const timer = setInterval(async () => {
      // A busy worker may take longer than the interval to answer; never stack samples.
      if (sampling) return;
      sampling = true;
      await this.sample();
      sampling = false;
    }, intervalMs);
    return () => clearInterval(timer);
  }

  /** Queries every shard's status and folds it into the peaks. */
  async sample(): Promise<ShardTotals> {
    const statuses = await Promise.allSettled(
      this.shards().map((shard) =>
        this.client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
          this.handle(shard).query(shardStatusQuery),
        ),
      ),
    );
    const totals: ShardTotals = { liveConversations: 0, pendingDeadlines: 0, answered: 0 };
    for (const status of statuses) {
      if (status.status === 'rejected') {
        this.failedQueries++;
        this.lastError = String(status.reason);
        continue;
      }
      const { shard, liveConversations, pendingDeadlines } = status.value;
      totals.liveConversations += liveConversations;
      totals.pendingDeadlines += pendingDeadlines;
      totals.answered++;
      this.peakLive[shard] = Math.max(this.peakLive[shard] ?? 0, liveConversations);
    }
    this.latest = totals;
    return totals;
  }

  /**
   * Asks every shard to continue as new and waits until each has a new run: the carried
   * conversations then went through the checkpoint pages and back.
   */
  compactAll(timeoutMs: number): Promise<ShardCompaction[]> {
    return Promise.all(this.shards().map((shard) => this.compact(shard, timeoutMs)));
  }

  /** Runs (the first and every continue-as-new) per shard, from Temporal's visibility store. */
  runsPerShard(): Promise<Array<number | string>> {
    return Promise.all(
      this.shards().map(async (shard) => {
        const workflowId = routerWorkflowId(this.taskQueue, shard);
        try {
          const { count } = await this.client.workflow.count(`WorkflowId = '${workflowId}'`);
          return count;
        } catch (error) {
          return `count failed: ${String(error)}`;
        }
      }),
    );
  }

  /** Each shard's current run: history size, the task in progress and why earlier tasks failed. */
  health(): Promise<ShardHealth[]> {
    return Promise.all(
      this.shards().map(async (shard): Promise<ShardHealth> => {
        const health: ShardHealth = {
          shard,
          runId: null,
          historyEvents: null,
          historyBytes: null,
          pendingTaskAttempt: null,
          taskFailures: {},
          error: null,
        };
        try {
          const handle = this.handle(shard);
          const description = await handle.describe();
          health.runId = description.runId;
          health.historyEvents = description.historyLength;
          health.historyBytes = description.historySize ?? null;
          health.pendingTaskAttempt = description.raw.pendingWorkflowTask?.attempt ?? null;
          health.taskFailures = await this.taskFailures(handle.workflowId, description.runId);
        } catch (error) {
          health.error = String(error);
        }
        return health;
      }),
    );
  }

  /**
   * Workflow task failures in one run, by message. Read in small pages: a single checkpoint marker
   * is ~750 KB, and a stuck shard's history is past the 4 MB a gRPC reply may carry.
   */
  private async taskFailures(workflowId: string, runId: string): Promise<Record<string, number>> {
    const failures: Record<string, number> = {};
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await this.client.workflowService.getWorkflowExecutionHistory({
        namespace: this.namespace,
        execution: { workflowId, runId },
        maximumPageSize: HISTORY_PAGE_EVENTS,
        nextPageToken,
      });
      for (const event of page.history?.events ?? []) {
        const message = event.workflowTaskFailedEventAttributes?.failure?.message;
        if (message) failures[message] = (failures[message] ?? 0) + 1;
      }
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return failures;
  }

  private async compact(shard: number, timeoutMs: number): Promise<ShardCompaction> {
    const handle = this.handle(shard);
    const started = performance.now();
    const result: ShardCompaction = {
      shard,
      runIdBefore: null,
      runIdAfter: null,
      secondsToNewRun: null,
      error: null,
    };
    try {
      result.runIdBefore = (await handle.describe()).runId;
      await handle.signal(compactShardSignal);
      while (performance.now() - started < timeoutMs) {
        const { runId, status } = await handle.describe();
        if (runId !== result.runIdBefore && status.name === 'RUNNING') {
          result.runIdAfter = runId;
          result.secondsToNewRun = Math.round(performance.now() - started) / 1000;
          return result;
        }
        await sleep(250);
      }
      result.error = `no new run within ${timeoutMs / 1000} s`;
    } catch (error) {
      result.error = String(error);
    }
    return result;
  }

  private handle(shard: number) {
    return this.client.workflow.getHandle<typeof routerShard>(routerWorkflowId(this.taskQueue, shard));
  }

  private shards(): number[] {
    return Array.from({ length: this.shardCount }, (_, shard) => shard);
  }
}
