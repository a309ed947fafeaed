import {
  type ConversationState,
  emptyConversationState,
  type InterpreterEvent,
  isLive,
  pendingTimer,
  type StepOutput,
  type StepRecord,
  stepSafely,
} from '@switchboard/nodes';
import type { Effect, RoutedEvent, WorkflowGraph } from '@switchboard/shared';
import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  patched,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { DeadlineQueue } from './deadlineQueue';
import type { EffectOutcome, ExecutionSnapshot, RoutingActivities } from './routingActivities';
import { loadShardCheckpoint, type ShardCheckpointRef, saveShardCheckpoint } from './shardCheckpoint';

/*
 * One long-lived workflow per shard routes every conversation whose id hashes to it. Batches of
 * events arrive as one signal each; a whole batch is routed in one workflow task with local
 * activities. Measured on 2 cores this sustains thousands of events/s where one workflow per
 * conversation manages about 50.
 */

export const routedEventsSignal = defineSignal<[RoutedEvent[]]>('routedEvents');

export interface ShardStatus {
  shard: number;
  highWaterMark: number;
  liveConversations: number;
  queued: number;
  routed: number;
  pendingDeadlines: number;
  nextDeadline: number | null;
}
export const shardStatusQuery = defineQuery<ShardStatus>('shardStatus');
/** Asks the shard to continue as new at its next safe point (operators; tests of the checkpoint). */
export const compactShardSignal = defineSignal('compactShard');

/**
 * An admin stops one conversation's execution (the explorer's cancel / terminate). The shard drops
 * it before routing anything else, so no further effect comes from it; see the README.
 */
export interface StopExecutionRequest {
  conversationId: string;
  executionId: string;
  mode: 'cancel' | 'terminate';
  requestedBy: string | null;
}
export const stopExecutionSignal = defineSignal<[StopExecutionRequest]>('stopExecution');

export interface RouterShardInput {
  shard: number;
  /** Highest outbox sequence accepted; redelivered batches at or below it are dropped. */
  highWaterMark: number;
  /** Live conversations only: finished ones are forgotten to keep the state small. */
  conversations: ConversationState[];
  /** Accepted but not yet routed when the previous run continued as new. */
  pending: RoutedEvent[];
  /** Since `checkpointed-continue-as-new`: the carried conversations and events are in these pages. */
  checkpoint?: ShardCheckpointRef;
  routed: number;
}

/** Upper bound of events routed per workflow task, so one task never runs into its timeout. */
const MAX_EVENTS_PER_TASK = 500;
/** Before the `smaller-batches` patch: routing many events per task starved the webhook handler. */
const MAX_EVENTS_PER_TASK_V0 = 2000;
/**
 * Effects per local activity call. The activities share the runtime's event loop with the webhook
 * handler; 2,000 assignments in one call blocked it for seconds (measured in `pnpm bench`).
 */
const EFFECTS_PER_ACTIVITY = 100;

const activities = proxyLocalActivities<RoutingActivities>({
  startToCloseTimeout: '30 seconds',
  // Local activities retry within the workflow task; give SQLite lock waits room to clear.
  retry: { initialInterval: '100 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/** Includes the task queue, so that several workspaces (or test runs) can share one namespace. */
export function routerWorkflowId(taskQueue: string, shard: number): string {
  return `${taskQueue}-shard-${shard}`;
}

export async function routerShard(input: RouterShardInput): Promise<void> {
  const carried = input.checkpoint
    ? await loadShardCheckpoint(activities, input.checkpoint)
    : { conversations: input.conversations, pending: input.pending };
  const conversations = new Map(carried.conversations.map((state) => [state.conversationId, state]));
  const graphs = new Map<string, WorkflowGraph>();
  const queue: RoutedEvent[] = [...carried.pending];
  let highWaterMark = input.highWaterMark;
  let routed = input.routed;
  let compactRequested = false;
  const stopRequests: StopExecutionRequest[] = [];
  // Rebuilt from the conversations after continue-as-new: their states hold the pending deadlines.
  const deadlines = new DeadlineQueue();
  for (const state of conversations.values()) {
    const timer = pendingTimer(state);
    if (timer) deadlines.push({ conversationId: state.conversationId, ...timer });
  }

  // The dispatcher sends each shard's events in sequence order and re-sends after a crash, so
  // anything at or below the high-water mark has been accepted already.
  setHandler(routedEventsSignal, (events) => {
    for (const event of events) {
      if (event.seq <= highWaterMark) continue;
      queue.push(event);
      highWaterMark = event.seq;
    }
  });
  setHandler(compactShardSignal, () => {
    compactRequested = true;
  });
  setHandler(stopExecutionSignal, (request) => {
    stopRequests.push(request);
  });
  setHandler(shardStatusQuery, () => ({
    shard: input.shard,
    highWaterMark,
    liveConversations: conversations.size,
    queued: queue.length,
    routed,
    pendingDeadlines: deadlines.size,
    nextDeadline: deadlines.peek()?.dueAt ?? null,
  }));

  for (;;) {
    const next = deadlines.peek();
    const wake = () =>
      queue.length > 0 ||
      stopRequests.length > 0 ||
      compactRequested ||
      workflowInfo().continueAsNewSuggested;
    // One workflow timer, for the earliest deadline of the whole shard.
    if (next) await condition(wake, Math.max(1, next.dueAt - Date.now()));
    else await condition(wake);
    if (workflowInfo().continueAsNewSuggested || compactRequested) {
      if (patched('checkpointed-continue-as-new')) {
        // Writing the pages awaits activities, and events keep arriving meanwhile; the queue is
        // drained into the checkpoint until it stays empty, and there is no await between that
        // check and continue-as-new, so nothing accepted is left behind.
        const checkpoint = await saveShardCheckpoint(
          activities,
          workflowInfo().runId,
          [...conversations.values()],
          queue,
        );
        await continueAsNew<typeof routerShard>({
          shard: input.shard,
          highWaterMark,
          conversations: [],
          pending: [],
          checkpoint,
          routed,
        });
      }
      await continueAsNew<typeof routerShard>({
        shard: input.shard,
        highWaterMark,
        conversations: [...conversations.values()],
        pending: queue.splice(0),
        routed,
      });
    }
    // Histories recorded before this signal existed never carry it, so they replay unchanged.
    if (stopRequests.length > 0 && patched('stop-executions')) await stopExecutions(stopRequests.splice(0));
    const batch = queue.splice(0, patched('smaller-batches') ? MAX_EVENTS_PER_TASK : MAX_EVENTS_PER_TASK_V0);
    await routeBatch(batch, deadlines.popDue(Date.now()));
    routed += batch.length;
  }

  async function routeBatch(
    batch: RoutedEvent[],
    due: { conversationId: string; key: string }[],
  ): Promise<void> {
    await loadMissingGraphs(batch, due);
    let work = new TaskOutput();
    for (const deadline of due) {
      const state = conversations.get(deadline.conversationId);
      // Stale deadlines (the node moved on) were left in the heap; skip them here.
      if (!state || pendingTimer(state)?.key !== deadline.key) continue;
      runStep(
        state,
        { type: 'timer.fired', conversationId: deadline.conversationId, key: deadline.key },
        work,
      );
    }
    for (const event of batch) {
      const state = conversations.get(event.conversationId) ?? emptyConversationState(event.conversationId);
      runStep(state, event, work);
    }
    // Effects whose results feed back into the graph (assign → assigned/unassigned) can ask for
    // more effects; keep going until the batch settles.
    while (!work.isEmpty()) {
      const outcomes = await applyEffects(work);
      const next = new TaskOutput();
      for (const outcome of outcomes) {
        const state = conversations.get(outcome.conversationId);
        if (!state) continue;
        const event: InterpreterEvent = outcome.ok
          ? {
              type: 'effect.completed',
              conversationId: outcome.conversationId,
              key: outcome.key,
              result: outcome.result,
            }
          : {
              type: 'effect.failed',
              conversationId: outcome.conversationId,
              key: outcome.key,
              error: outcome.error,
            };
        runStep(state, event, next);
      }
      work = next;
    }
  }

  async function stopExecutions(requests: StopExecutionRequest[]): Promise<void> {
    const records: StepRecord[] = [];
    const executions: ExecutionSnapshot[] = [];
    const now = Date.now();
    for (const request of requests) {
      const state = conversations.get(request.conversationId);
      const execution = state?.execution;
      // Finished already, or another execution by now: nothing of the one asked about is left.
      if (!execution || execution.executionId !== request.executionId || !isLive(state)) continue;
      conversations.delete(request.conversationId);
      const status = request.mode === 'cancel' ? 'cancelled' : 'terminated';
      records.push({
        key: `${execution.executionId}:${execution.cursor ?? '?'}:${status}`,
        executionId: execution.executionId,
        conversationId: request.conversationId,
        workflowVersionId: execution.workflowVersionId,
        nodeId: execution.cursor ?? '?',
        nodeType:
          graphs.get(execution.workflowVersionId)?.nodes.find((node) => node.id === execution.cursor)?.type ??
          '?',
        status,
        output: null,
        error: null,
        cause: `${request.mode} by ${request.requestedBy ?? 'an admin'}`,
        at: now,
      });
      executions.push({
        executionId: execution.executionId,
        conversationId: request.conversationId,
        workflowVersionId: execution.workflowVersionId,
        status,
        startedAt: execution.startedAt,
        updatedAt: now,
      });
    }
    if (records.length > 0) await activities.applyEffects({ effects: [], records, executions });
  }

  async function applyEffects(work: TaskOutput): Promise<EffectOutcome[]> {
    const input = { effects: work.effects, records: work.records, executions: [...work.executions.values()] };
    if (!patched('effects-in-chunks')) return activities.applyEffects(input);
    const outcomes: EffectOutcome[] = [];
    // The trace goes with the first chunk; effects keep their order across chunks.
    for (let start = 0; start === 0 || start < input.effects.length; start += EFFECTS_PER_ACTIVITY) {
      const effects = input.effects.slice(start, start + EFFECTS_PER_ACTIVITY);
      const first = start === 0;
      outcomes.push(
        ...(await activities.applyEffects({
          effects,
          records: first ? input.records : [],
          executions: first ? input.executions : [],
        })),
      );
    }
    return outcomes;
  }

  function runStep(state: ConversationState, event: InterpreterEvent, output: TaskOutput): void {
    const versionId =
      state.execution && isLive(state)
        ? state.execution.workflowVersionId
        : startsExecutions(event)
          ? event.workflowVersionId
          : null;
    const graph = versionId ? graphs.get(versionId) : undefined;
    if (!graph) {
      if (versionId)
        log.warn('no graph for version; event not routed', {
          versionId,
          conversationId: state.conversationId,
        });
      return;
    }
    const result = stepSafely(graph, state, event, Date.now());
    if (isLive(result.state)) conversations.set(state.conversationId, result.state);
    else conversations.delete(state.conversationId);
    for (const timer of result.timers) deadlines.push(timer);
    output.add(result, Date.now());
  }

  /**
   * Before `route-all-event-types`, only inbound messages could start an execution: tag changes,
   * delivery failures and hand-offs to another workflow (manual runs) were dropped.
   */
  function startsExecutions(event: InterpreterEvent): event is RoutedEvent {
    if (event.type === 'effect.completed' || event.type === 'effect.failed' || event.type === 'timer.fired')
      return false;
    return event.type === 'message.received' || patched('route-all-event-types');
  }

  async function loadMissingGraphs(batch: RoutedEvent[], due: { conversationId: string }[]): Promise<void> {
    const missing = new Set<string>();
    for (const event of batch) {
      const live = conversations.get(event.conversationId);
      const versionId = live?.execution ? live.execution.workflowVersionId : event.workflowVersionId;
      if (versionId && !graphs.has(versionId)) missing.add(versionId);
    }
    // After continue-as-new the cache is empty: a deadline can come due before any event of its
    // version arrives, and before this patch it then fired into nothing.
    if (due.length > 0 && patched('load-graphs-for-deadlines')) {
      for (const deadline of due) {
        const versionId = conversations.get(deadline.conversationId)?.execution?.workflowVersionId;
        if (versionId && !graphs.has(versionId)) missing.add(versionId);
      }
    }
    if (missing.size === 0) return;
    const loaded = await activities.loadGraphs([...missing]);
    for (const [versionId, graph] of Object.entries(loaded)) graphs.set(versionId, graph);
  }
}

/** Everything one round of interpreter steps asks the activities to do. */
class TaskOutput {
  readonly effects: Effect[] = [];
  readonly records: StepOutput['records'] = [];
  readonly executions = new Map<string, ExecutionSnapshot>();

  add(result: StepOutput, now: number): void {
    this.effects.push(...result.effects);
    this.records.push(...result.records);
    const execution = result.state.execution;
    if (execution && result.records.length > 0) {
      this.executions.set(execution.executionId, {
        executionId: execution.executionId,
        conversationId: result.state.conversationId,
        workflowVersionId: execution.workflowVersionId,
        status: execution.status,
        startedAt: execution.startedAt,
        updatedAt: now,
      });
    }
  }

  isEmpty(): boolean {
    return this.effects.length === 0 && this.records.length === 0;
  }
}
