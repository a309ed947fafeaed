import type { RoutedEvent } from '@switchboard/shared';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  moveAtSafePointSignal,
  type RouterShardInput,
  routedEventsSignal,
  type routerShard,
  type ShardStatus,
  shardStatusQuery,
} from '../../src/routing/routerWorkflow';
import type { ScriptStep } from './scenarioScript';

const MINUTE = 60_000;
/** Routing a batch takes milliseconds; this only bounds how long a broken script hangs. */
const SETTLE_TIMEOUT_MS = 30_000;

/**
 * Plays a scenario's script against a running router shard, one step at a time, and waits after
 * each until the shard has nothing left to do: every event routed, every due deadline fired.
 */
export class ScriptedShard {
  private seq: number;
  private expectedRouted: number;
  private lastBatch: RoutedEvent[] = [];

  constructor(
    private readonly env: TestWorkflowEnvironment,
    private readonly handle: WorkflowHandle<typeof routerShard>,
    input: RouterShardInput,
  ) {
    this.seq = input.highWaterMark;
    // Events carried over a continue-as-new are routed by the new run's first task.
    this.expectedRouted = input.routed + input.pending.length;
  }

  async perform(step: ScriptStep): Promise<void> {
    switch (step.kind) {
      case 'batch':
        this.lastBatch = step.events.map((event) => ({ ...event, seq: ++this.seq }));
        this.expectedRouted += this.lastBatch.length;
        await this.handle.signal(routedEventsSignal, this.lastBatch);
        break;
      case 'redelivery':
        await this.handle.signal(routedEventsSignal, this.lastBatch);
        break;
      case 'advance':
        await this.env.sleep(step.minutes * MINUTE);
        break;
      case 'announce':
        await this.handle.signal(moveAtSafePointSignal, step.move);
        break;
    }
    await this.settled(step);
  }

  /** Polls the shard until it is idle; a query answers only after the pending workflow task. */
  async settled(step: ScriptStep | null = null): Promise<ShardStatus> {
    const giveUpAt = performance.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const status = await this.handle.query(shardStatusQuery);
      const now = await this.env.currentTimeMs();
      const idle =
        status.routed === this.expectedRouted &&
        status.queued === 0 &&
        status.highWaterMark === this.seq &&
        status.unwrittenSteps === 0 &&
        (status.nextDeadline === null || status.nextDeadline > now);
      if (idle) return status;
      if (performance.now() > giveUpAt) {
        throw new Error(
          `the shard did not settle after ${JSON.stringify(step)}: expected ${this.expectedRouted} routed ` +
            `up to seq ${this.seq} and no deadline due at ${now}, got ${JSON.stringify(status)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
