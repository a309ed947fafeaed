import type { StepRecord } from '@switchboard/nodes';
import type { Effect, RoutedEvent, StepEffectResult, WorkflowGraph } from '@switchboard/shared';
import type { StopExecutionRequest } from './routerWorkflow';
import type { SafePointMove } from './safePointMoves';
import type { ShardCheckpointPage } from './shardCheckpoint';

/** Where an execution stands after a workflow task; the executions table mirrors it. */
export interface ExecutionSnapshot {
  executionId: string;
  conversationId: string;
  workflowVersionId: string;
  status: 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled' | 'terminated';
  startedAt: number;
  updatedAt: number;
}

/** What a shard hears back of an effect (an assignment without its explanation: see StepEffectResult). */
export type EffectOutcome =
  | { key: string; conversationId: string; ok: true; result: StepEffectResult }
  | { key: string; conversationId: string; ok: false; error: string };

export interface ApplyEffectsInput {
  effects: Effect[];
  records: StepRecord[];
  executions: ExecutionSnapshot[];
}

export interface CheckpointPageInput {
  runId: string;
  page: number;
  content: ShardCheckpointPage;
}

/** The activities a router shard calls. Implemented in `activities.ts`; only the types cross into the workflow bundle. */
export interface RoutingActivities {
  /** Graphs of published versions, by version id; unknown ids are left out. */
  loadGraphs(versionIds: string[]): Promise<Record<string, WorkflowGraph>>;
  /** Records the trace, then carries out each effect, idempotently by its key. */
  applyEffects(input: ApplyEffectsInput): Promise<EffectOutcome[]>;
  /** Stores one page of a shard's carried state before continue-as-new (idempotent by run and page). */
  saveCheckpointPage(input: CheckpointPageInput): Promise<void>;
  loadCheckpointPage(input: { runId: string; page: number }): Promise<ShardCheckpointPage>;
  /** The shard's stored events after a sequence, oldest first, at most `limit` (the outbox, dispatched or not). */
  loadEventsAfter(input: { shard: number; afterSeq: number; limit: number }): Promise<RoutedEvent[]>;
  /** Every workflow's newest version published with `move_at_safe_point`, with the versions before it. */
  loadSafePointMoves(): Promise<SafePointMove[]>;
  /** The shard's cancel and terminate requests that it has not applied yet, oldest first. */
  loadStopRequests(input: { shard: number }): Promise<StopExecutionRequest[]>;
  /**
   * Asks the dispatcher to stop signalling `shard` for `forMs` while run `runId` continues as new;
   * `forMs` 0 lifts that run's hold (the next run does, once it starts). A hold returns once the
   * dispatcher has acknowledged it (no signal to the shard still on its way), or after a bound.
   */
  holdSignals(input: SignalHold): Promise<void>;
}

export interface SignalHold {
  shard: number;
  runId: string;
  forMs: number;
}
