import {
  type ConversationState,
  emptyConversationState,
  type InterpreterEvent,
  isLive,
  moveAtSafePoint,
  pendingTimer,
  type StepOutput,
  type StepRecord,
  stepSafely,
} from '@switchboard/nodes';
import type { Effect, RoutedEvent, WorkflowGraph } from '@switchboard/shared';
import {
  type ActivityOptions,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { type Deadline, DeadlineQueue } from './deadlineQueue';
import type {
  ApplyEffectsInput,
  EffectOutcome,
  ExecutionSnapshot,
  RoutingActivities,
} from './routingActivities';
import { type SafePointMove, SafePointMoves } from './safePointMoves';
import {
  appendPendingPages,
  loadCheckpointInGroups,
  loadShardCheckpoint,
  PAGES_READ_AT_ONCE,
  type ShardCheckpointRef,
  savePackedCheckpoint,
  saveShardCheckpoint,
} from './shardCheckpoint';

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
  /** Step records routed but not yet written (`trace-with-next-batch`: they wait for the next call). */
  unwrittenSteps: number;
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

export type { SafePointMove } from './safePointMoves';
/** Since `move-at-safe-point`: see `SafePointMove`. */
export const moveAtSafePointSignal = defineSignal<[SafePointMove]>('moveAtSafePoint');

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
  /** Overrides RUN_LIMITS (tests force continue-as-new with small ones); carried to the next run. */
  runLimits?: Partial<RunLimits>;
  /** The moves announced so far, newest per workflow; absent when there are none. */
  moves?: SafePointMove[];
}

/**
 * When a run continues as new, since `deterministic-continue-as-new`. Counted by the workflow
 * itself from what its history holds (signals, activity results, wake-ups), so a replay decides
 * exactly as the first execution did; `continueAsNewSuggested` is not replay-safe here: after a
 * continue-as-new refused for late signals, the replayed task saw another value and failed with
 * nondeterminism. The weight approximates history bytes in KB: a routed event ~1 KB, an effect
 * outcome (an assignment's explanation) ~2 KB. It leaves out the checkpoint a run reads back, which
 * grows with the shard's live conversations (~400 bytes each): in the 100,000-conversation
 * escalation bench (4 shards, up to 17,813 live on one) runs reached 10–12 MB, past Temporal's
 * 10 MB warning; its 50 MB limit would come at roughly 120,000 live conversations on one shard
 * (README, Configuration: SHARD_COUNT).
 */
export interface RunLimits {
  weight: number;
  /** The timer that ends a task between batches (BETWEEN_TASKS_MS; tests lengthen it to show a signal resumes the shard first). */
  betweenTasksMs?: number;
}
const RUN_LIMITS: RunLimits = { weight: 6000 };
/**
 * Since `bounded-workflow-tasks`. The weight leaves out what a run reads back from its checkpoint,
 * and signals of a backlog are larger than it assumes: at 6,000, shard runs in the
 * 100,000-conversation escalation bench reached 5–7 MB. A worker that lost a run from its cache
 * (a refused continue-as-new, a task timeout) must read the whole history again, and the longer it
 * is, the longer that replay takes on a busy machine: past the 30 s task timeout, again and again.
 */
const RUN_LIMITS_BOUNDED: RunLimits = { weight: 3000 };
/**
 * Since `longer-runs`. Each continue-as-new pauses its shard for half a second or more (checkpoint
 * written and read back, several tasks), and that pause was the tail of the latency: 4 shards after
 * a burst of 5,000, 100/s p99 571–878 ms at 3,000, 99–111 ms at 6,000 (1,000/s p99 1.0–1.4 s against
 * 1.0–1.2 s). The 100,000-conversation escalation bench on 4 shards passed with 13–14 runs per shard,
 * 35–37 before this and `slim-outcomes` (a conversation added about 2.2 KB of history then, 30% of it
 * the explanation).
 */
const RUN_LIMITS_LONGER: RunLimits = { weight: 6000 };
/**
 * Since `staggered-runs`, shard n's runs hold (1 − 0.1 × (n mod 4)) of the weight: the shards get
 * about the same traffic and started together, so they all continued as new within the same
 * second, each pause slower for the others' (the routing bench at 1,000/s: dispatch-to-assignment
 * up to 1–1.5 s on all four shards at once). Apart by a tenth of a run, the pauses rarely meet.
 */
export function staggeredWeight(weight: number, shard: number): number {
  return Math.round(weight * (1 - 0.1 * (shard % 4)));
}
const EVENT_WEIGHT = 1;
const OUTCOME_WEIGHT = 2;
/**
 * Since `slim-outcomes`: an assignment's outcome comes back without its explanation (it stays with
 * the stored assignment), so outcomes weigh half: a run routes about half again as many
 * conversations before it continues as new, and at 1,000/s each continue-as-new pauses its shard.
 */
const SLIM_OUTCOME_WEIGHT = 1;
const WAKE_WEIGHT = 1;

/**
 * Workflow task timeout of a shard (continue-as-new keeps it). With the default 10 s, a 2-core
 * machine under load timed a shard's tasks out again and again in the 100,000-conversation
 * escalation bench: each timeout evicts the run, the next attempt replays the whole run first,
 * and takes longer still. The price: a worker killed in the middle of a task holds that shard up
 * to 30 s before the task is handed out again (durability.test.ts waits up to 60 s).
 */
export const SHARD_TASK_TIMEOUT = '30 seconds';

/** Upper bound of events routed per workflow task, so one task never runs into its timeout. */
const MAX_EVENTS_PER_TASK = 500;
/**
 * Upper bound of deadlines fired per workflow task, since `bounded-workflow-tasks`: after a stall
 * thousands come due at once, and their effects' results all went into one task's completion.
 */
const MAX_DEADLINES_PER_TASK = 500;
/**
 * Since `bounded-workflow-tasks`, a shard that has more waiting after a batch ends the workflow task
 * on this timer before routing on. Before, one task routed batch after batch for as long as events
 * kept coming: every local activity's result went into that one completion (3 MB at 20,000
 * conversations, past gRPC's 4 MB at 100,000: "GRPC Message too large", retried for ever), and
 * Temporal failed the task once more than 100 signals waited behind it (FORCE_CLOSE_COMMAND).
 */
const BETWEEN_TASKS_MS = 1;
/** How long a batch's last trace waits for the next batch's activity call, since `trace-with-next-batch`. */
const TRACE_DELAY_MS = 200;
/** Events carried inline by continue-as-new (~600 bytes each, far below the 2 MB payload limit). */
const MAX_INLINE_PENDING = 500;
/**
 * How long the dispatcher holds a shard's signals while it continues as new, at most: the next run
 * lifts the hold as it starts. Long enough for a refused attempt's replay of a whole run.
 */
const SIGNAL_HOLD_MS = 15_000;
/** Before the `smaller-batches` patch: routing many events per task starved the webhook handler. */
const MAX_EVENTS_PER_TASK_V0 = 2000;
/**
 * Effects per local activity call. The activities share the runtime's event loop with the webhook
 * handler; 2,000 assignments in one call blocked it for seconds (measured in `pnpm bench`).
 */
const EFFECTS_PER_ACTIVITY = 100;
/** Step records per local activity call, since `trace-in-chunks`: a whole batch's trace went with the first chunk, past 512 KB. */
const RECORDS_PER_ACTIVITY = 200;

const activities = proxyLocalActivities<RoutingActivities>({
  startToCloseTimeout: '30 seconds',
  // Local activities retry within the workflow task; give SQLite lock waits room to clear.
  retry: { initialInterval: '100 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/** The ordinary (not local) activities of a shard: each result is an event of its own. */
const ORDINARY_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/**
 * Checkpoint pages are read as ordinary activities since `compact-checkpoint`: each result is an
 * event of its own, so reading thousands of conversations spreads over many workflow tasks
 * (as local activities, every page's marker went into the first task's completion, past gRPC's
 * 4 MB limit at ~2,700 conversations).
 */
const checkpointActivities =
  proxyActivities<Pick<RoutingActivities, 'loadCheckpointPage' | 'loadEventsAfter'>>(
    ORDINARY_ACTIVITY_OPTIONS,
  );

/** Read as a run starts, since `move-at-safe-point`: an ordinary activity, like the reads above. */
const announcementActivities =
  proxyActivities<Pick<RoutingActivities, 'loadSafePointMoves'>>(ORDINARY_ACTIVITY_OPTIONS);

/**
 * Read as a run starts from a checkpoint, since `stop-requests-from-database`: an ordinary
 * activity, like the reads above.
 */
const stopRequestActivities =
  proxyActivities<Pick<RoutingActivities, 'loadStopRequests'>>(ORDINARY_ACTIVITY_OPTIONS);

/**
 * The hold before continue-as-new as an ordinary activity, since `hold-ends-the-task`: waiting for
 * it ends the task before the one that writes the checkpoint (see the continue-as-new below).
 */
const holdActivities = proxyActivities<Pick<RoutingActivities, 'holdSignals'>>(ORDINARY_ACTIVITY_OPTIONS);

/** Outbox events read per activity when a new run catches up (~1 KB each, under the 512 KB payload warning). */
const CATCH_UP_PAGE_SIZE = 250;
/** Pages read at most; after that the events still come by signal. */
const CATCH_UP_PAGES = 40;

/** Includes the task queue, so that several workspaces (or test runs) can share one namespace. */
export function routerWorkflowId(taskQueue: string, shard: number): string {
  return `${taskQueue}-shard-${shard}`;
}

/** Every patch of this workflow, oldest first. */
const PATCHES = [
  'smaller-batches',
  'effects-in-chunks',
  'route-all-event-types',
  'load-graphs-for-deadlines',
  'checkpointed-continue-as-new',
  'compact-checkpoint',
  'deterministic-continue-as-new',
  'trace-in-chunks',
  'deadlines-never-early',
  'stop-executions',
  'catch-up-from-outbox',
  'move-at-safe-point',
  'continue-as-new-in-own-task',
  'bounded-workflow-tasks',
  'settle-before-next-event',
  'stop-requests-from-database',
  'trace-with-next-batch',
  'slim-outcomes',
  'longer-runs',
  'parallel-run-start',
  'yield-to-signals',
  'staggered-runs',
  'hold-ends-the-task',
  'hold-right-after-routing',
  'small-run-start-local',
] as const;
type PatchId = (typeof PATCHES)[number];

/**
 * Since `patches-up-front`, a run asks for every patch in its first activation, before any await.
 * Asked later, a patch's marker could land in the completion after a workflow task that ended
 * while a local activity was still running (a task heartbeat); the replay then answered
 * `patched()` with false in the task where the first execution had seen true, took the unpatched
 * path and failed as nondeterministic (`Missing associated machine for LocalActivity`), and the
 * shard was stuck. Runs without the marker keep asking lazily, where their histories did.
 */
function patchLookup(): (id: PatchId) => boolean {
  if (!patched('patches-up-front')) return patched;
  const upFront = new Map(PATCHES.map((id) => [id, patched(id)]));
  return (id) => upFront.get(id) ?? patched(id);
}

/**
 * Since `parallel-run-start`: what a run continued from a checkpoint reads besides the pages — the
 * first page of the outbox after the carried high-water mark, the announced moves, the stored stop
 * requests — scheduled together with the pages, in the first task, instead of one ordinary
 * activity (one round trip through the server and two task queues) after another. Each was stored
 * before it was signalled, so a read in the first task still finds everything the previous run
 * was signalled and did not carry. Measured in the routing bench: a shard routed again 650 ms after
 * continue-as-new, of which four sequential activity round trips at ~100 ms each.
 */
function readAtRunStart(shard: number, afterSeq: number, reader: RunStartReader) {
  return {
    firstEvents: reader.loadEventsAfter({
      shard,
      afterSeq,
      limit: CATCH_UP_PAGE_SIZE,
    }),
    moves: reader.loadSafePointMoves(),
    stopRequests: reader.loadStopRequests({ shard }),
  };
}

/** What a run continued from a checkpoint reads as it starts: the pages and the reads above. */
type RunStartReader = Pick<
  RoutingActivities,
  'loadCheckpointPage' | 'loadEventsAfter' | 'loadSafePointMoves' | 'loadStopRequests'
>;

/** The run-start reads as ordinary activities: each result an event of its own. */
const ordinaryRunStartReader: RunStartReader = {
  loadCheckpointPage: checkpointActivities.loadCheckpointPage,
  loadEventsAfter: checkpointActivities.loadEventsAfter,
  loadSafePointMoves: announcementActivities.loadSafePointMoves,
  loadStopRequests: stopRequestActivities.loadStopRequests,
};

/**
 * Since `small-run-start-local`, a run whose checkpoint is a single group of pages (at most
 * PAGES_READ_AT_ONCE, ~400 KB, with a catch-up page of ~250 KB: far below gRPC's 4 MB for the first
 * task's completion, which carries their results) reads them as local activities, in its first
 * task: one round trip through the server and the activity task queue less while the shard stands
 * still (at 1,000/s, 100–180 ms from the lifted hold to the pages read). Larger ones read as before.
 */
function runStartReader(checkpoint: ShardCheckpointRef, smallReadLocally: boolean): RunStartReader {
  return smallReadLocally && checkpoint.pages <= PAGES_READ_AT_ONCE ? activities : ordinaryRunStartReader;
}

export async function routerShard(input: RouterShardInput): Promise<void> {
  const isPatched = patchLookup();
  const conversations = new Map<string, ConversationState>();
  const graphs = new Map<string, WorkflowGraph>();
  const queue: RoutedEvent[] = [];
  let highWaterMark = input.highWaterMark;
  let routed = input.routed;
  let compactRequested = false;
  const stopRequests: StopExecutionRequest[] = [];
  const deadlines = new DeadlineQueue();
  const boundedTasks = isPatched('bounded-workflow-tasks');
  const boundedLimits = isPatched('longer-runs') ? RUN_LIMITS_LONGER : RUN_LIMITS_BOUNDED;
  const defaultLimits = boundedTasks ? boundedLimits : RUN_LIMITS;
  const limits: RunLimits = {
    ...defaultLimits,
    ...(isPatched('staggered-runs') ? { weight: staggeredWeight(defaultLimits.weight, input.shard) } : {}),
    ...input.runLimits,
  };
  /** History grown in this run, in RunLimits units (deterministic: see RunLimits). */
  let runWeight = 0;
  const outcomeWeight = isPatched('slim-outcomes') ? SLIM_OUTCOME_WEIGHT : OUTCOME_WEIGHT;
  const moves = new SafePointMoves(input.moves);
  /**
   * Announced and not yet looked at: executions already at a safe point move now. Carried ones too,
   * once: a run without the patch kept them without moving anybody.
   */
  let freshMoves = moves.size > 0;
  const traceWithNextBatch = isPatched('trace-with-next-batch');
  /**
   * Since `trace-with-next-batch`: the trace of a batch's last round (records only, no effect) waits
   * for the next activity call instead of taking one of its own, at most TRACE_DELAY_MS: one local
   * activity less per batch, and at 1,000 conversations/s a batch is a few events per shard. A/B at
   * 100/s (about one event per batch) on the quiet machine: the worker's CPU per conversation went
   * from 8.3 to 7.6 ms, Temporal's from 5.2 to 5.7 (the timer, when no batch follows within it).
   */
  let carriedTrace: TaskOutput | null = null;
  /** Resolves the pending `endTask`, if any: the next signal resumes it. */
  let signalArrived: (() => void) | null = null;
  /** Timers of `endTask` calls that a signal resumed, not fired yet. */
  let unfiredTaskTimers = 0;
  const yieldToSignals = isPatched('yield-to-signals');
  const holdEndsTheTask = boundedTasks && yieldToSignals && isPatched('hold-ends-the-task');
  /**
   * Since `hold-right-after-routing`, a batch that fills the run is followed by the hold at once, in
   * the same task, instead of a task ended on a timer (or the next signal) first: the hold ends the
   * task anyway, and the dev server fired that timer late under load. At 1,000/s a shard's last
   * assignment before its hold started was 245 ms earlier, of a ~900 ms pause.
   */
  const holdRightAfterRouting = holdEndsTheTask && isPatched('hold-right-after-routing');
  /**
   * Ends the workflow task between batches, so that what it did is recorded before the next one:
   * on a timer of BETWEEN_TASKS_MS, and since `yield-to-signals` also on the next signal, whichever
   * comes first. The dev server fired those 1 ms timers 40–900 ms late under load, and a signal's
   * task could not resume a workflow asleep on one: the routing bench showed a shard idle for
   * 600 ms through six tasks that only delivered signals. A timer that lost the race is left to
   * fire: cancelling it races its firing (the time-skipping server rejects such a completion).
   */
  const betweenTasksMs = limits.betweenTasksMs ?? BETWEEN_TASKS_MS;
  const endTask = async (): Promise<void> => {
    if (!yieldToSignals) return sleep(betweenTasksMs);
    unfiredTaskTimers++;
    const timer = sleep(betweenTasksMs).then(() => {
      unfiredTaskTimers--;
    });
    const signalled = new Promise<void>((resolve) => {
      signalArrived = resolve;
    });
    await Promise.race([timer, signalled]);
    signalArrived = null;
  };

  // Registered before the checkpoint is read (which takes many tasks), so the status query answers
  // meanwhile; signals wait in the queue behind the carried events.
  setHandler(shardStatusQuery, () => ({
    shard: input.shard,
    highWaterMark,
    liveConversations: conversations.size,
    queued: queue.length,
    routed,
    pendingDeadlines: deadlines.size,
    nextDeadline: deadlines.peek()?.dueAt ?? null,
    unwrittenSteps: carriedTrace?.records.length ?? 0,
  }));
  // The dispatcher sends each shard's events in sequence order and re-sends after a crash, so
  // anything at or below the high-water mark has been accepted already.
  setHandler(routedEventsSignal, (events) => {
    signalArrived?.();
    runWeight += events.length * EVENT_WEIGHT;
    for (const event of events) {
      if (event.seq <= highWaterMark) continue;
      queue.push(event);
      highWaterMark = event.seq;
    }
  });
  setHandler(compactShardSignal, () => {
    signalArrived?.();
    compactRequested = true;
  });
  setHandler(stopExecutionSignal, (request) => {
    signalArrived?.();
    runWeight += EVENT_WEIGHT;
    stopRequests.push(request);
  });
  // Kept even by a run without the patch, so that its next run moves the executions.
  setHandler(moveAtSafePointSignal, (move) => {
    signalArrived?.();
    runWeight += EVENT_WEIGHT;
    if (moves.announce(move)) freshMoves = true;
  });

  const compactCheckpoint = isPatched('compact-checkpoint');
  if (boundedTasks && input.checkpoint)
    await activities.holdSignals({ shard: input.shard, runId: input.checkpoint.runId, forMs: 0 });
  const startReader = input.checkpoint
    ? runStartReader(input.checkpoint, isPatched('small-run-start-local'))
    : ordinaryRunStartReader;
  const startReads =
    input.checkpoint && isPatched('parallel-run-start')
      ? readAtRunStart(input.shard, input.highWaterMark, startReader)
      : null;
  const carried = input.checkpoint
    ? compactCheckpoint
      ? await loadCheckpointInGroups(startReader, input.checkpoint)
      : await loadShardCheckpoint(activities, input.checkpoint)
    : { conversations: input.conversations, pending: input.pending };
  for (const state of carried.conversations) conversations.set(state.conversationId, state);
  // Carried events were accepted before anything signalled to this run (their seq is lower).
  // Since `bounded-workflow-tasks` the events of the previous run's last task come inline, after the pages'.
  queue.unshift(...carried.pending, ...(input.checkpoint ? input.pending : []));
  if (input.checkpoint && isPatched('catch-up-from-outbox'))
    await catchUpFromOutbox(input.highWaterMark, startReads?.firstEvents);
  // An announcement signalled while the previous run decided to continue as new can be in neither
  // run, like the events above, and one the runtime could not send is in none; the database has all.
  if (isPatched('move-at-safe-point')) {
    for (const move of await (startReads?.moves ?? announcementActivities.loadSafePointMoves()))
      if (moves.announce(move)) freshMoves = true;
  }
  if (input.checkpoint && isPatched('stop-requests-from-database'))
    await catchUpStopRequests(startReads?.stopRequests);
  // Rebuilt from the conversations after continue-as-new: their states hold the pending deadlines.
  for (const state of conversations.values()) {
    const timer = pendingTimer(state);
    if (timer) deadlines.push({ conversationId: state.conversationId, ...timer });
  }
  const deterministicContinueAsNew = isPatched('deterministic-continue-as-new');
  const runIsFull = () =>
    deterministicContinueAsNew ? runWeight >= limits.weight : workflowInfo().continueAsNewSuggested;

  /** The live conversations and the queue, written in packed pages (the queue is emptied into them). */
  const savePagedState = () =>
    savePackedCheckpoint(activities, workflowInfo().runId, [...conversations.values()], queue);
  /** Continues as new from `checkpoint`, with anything queued since it was written inline. */
  const continueFromCheckpoint = (checkpoint: ShardCheckpointRef) =>
    continueAsNew<typeof routerShard>({
      shard: input.shard,
      highWaterMark,
      conversations: [],
      pending: queue.splice(0),
      checkpoint,
      routed,
      runLimits: input.runLimits,
      ...moves.carried(),
    });

  const wake = () =>
    queue.length > 0 || stopRequests.length > 0 || freshMoves || compactRequested || runIsFull();
  for (;;) {
    const next = deadlines.peek();
    const untilDeadline = next ? Math.max(1, next.dueAt - Date.now()) : null;
    // One workflow timer, for the earliest deadline of the whole shard (or the carried trace's).
    const timeout = carriedTrace ? Math.min(untilDeadline ?? TRACE_DELAY_MS, TRACE_DELAY_MS) : untilDeadline;
    if (timeout !== null) await condition(wake, timeout);
    else await condition(wake);
    // Nothing came to take the trace along: it goes on its own.
    const deadlineDue = (deadlines.peek()?.dueAt ?? Number.POSITIVE_INFINITY) <= Date.now();
    if (carriedTrace && !wake() && !deadlineDue) await applyEffects(new TaskOutput());
    if (deterministicContinueAsNew) runWeight += WAKE_WEIGHT;
    if (runIsFull() || compactRequested) {
      if (carriedTrace) await applyEffects(new TaskOutput());
      if (holdEndsTheTask) {
        // The hold first, as an ordinary activity: waiting for it ends this task at once (with
        // the cancel of the loop's timer above, refused once that timer has fired: the
        // time-skipping server rejected the completion), and the dispatcher holds this shard's
        // signals from then on, so that the next task can write the pages and continue as new
        // with nothing new arriving (Temporal refuses to continue as new while a signal waits: see
        // below). Before `hold-ends-the-task` two 1 ms timers ended the tasks here, which the dev
        // server fired up to 900 ms late under load, every shard's signals held through the
        // second; from the decision to continue as new to the new run took ~500 ms, now ~80 ms.
        // The routing before this is in a completed task already.
        await holdActivities.holdSignals({
          shard: input.shard,
          runId: workflowInfo().runId,
          forMs: SIGNAL_HOLD_MS,
        });
        // A timer firing while the continue-as-new task runs makes Temporal refuse it, too.
        await condition(() => unfiredTaskTimers === 0);
        const checkpoint = await savePagedState();
        await continueFromCheckpoint(checkpoint);
      }
      // Temporal refuses to continue as new while signals wait, and the task is then run again
      // from history: every local activity of it, the routing of the batch before this one
      // included, ran twice (2,493 assignments pushed twice in one 1,000/s bench run). A timer
      // ends the task here, so its routing is recorded; a refused retry only rewrites the checkpoint.
      // A timer firing while the continue-as-new task runs makes Temporal refuse it, and the retry
      // replays the whole run (1.2 s in the routing bench, every shard's signals held meanwhile).
      if (yieldToSignals) await condition(() => unfiredTaskTimers === 0);
      if (isPatched('continue-as-new-in-own-task')) await sleep(1);
      if (boundedTasks) {
        let checkpoint = await savePagedState();
        // Temporal refuses to continue as new while a signal waits (UnhandledCommand), and the
        // retry starts from a fresh replay of the whole run, during which more signals come: in the
        // 100,000-conversation bench shards kept retrying until posting ended, their histories
        // growing past 10 MB. So the dispatcher holds this shard's signals, the pages are committed
        // in their own task, and the next task has no activity to wait for: it carries what was
        // signalled meanwhile inline and continues as new at once.
        await activities.holdSignals({
          shard: input.shard,
          runId: workflowInfo().runId,
          forMs: SIGNAL_HOLD_MS,
        });
        await sleep(BETWEEN_TASKS_MS);
        while (queue.length > MAX_INLINE_PENDING) {
          checkpoint = await appendPendingPages(activities, checkpoint, queue);
          await sleep(BETWEEN_TASKS_MS);
        }
        await continueFromCheckpoint(checkpoint);
      }
      // Short-circuit: runs from before `compact-checkpoint` ask `checkpointed-continue-as-new` here.
      if (compactCheckpoint || isPatched('checkpointed-continue-as-new')) {
        // Writing the pages awaits activities, and events keep arriving meanwhile; the queue is
        // drained into the checkpoint until it stays empty, and there is no await between that
        // check and continue-as-new, so nothing this run accepted is left behind (for what it was
        // never given, see catchUpFromOutbox).
        const save = compactCheckpoint ? savePackedCheckpoint : saveShardCheckpoint;
        const checkpoint = await save(activities, workflowInfo().runId, [...conversations.values()], queue);
        await continueAsNew<typeof routerShard>({
          shard: input.shard,
          highWaterMark,
          conversations: [],
          pending: [],
          checkpoint,
          routed,
          // Carried since `compact-checkpoint`.
          runLimits: compactCheckpoint ? input.runLimits : undefined,
          ...moves.carried(),
        });
      }
      await continueAsNew<typeof routerShard>({
        shard: input.shard,
        highWaterMark,
        conversations: [...conversations.values()],
        pending: queue.splice(0),
        routed,
        ...moves.carried(),
      });
    }
    // Histories recorded before this signal existed never carry it, so they replay unchanged.
    if (stopRequests.length > 0 && isPatched('stop-executions')) await stopExecutions(stopRequests.splice(0));
    if (freshMoves) {
      freshMoves = false;
      if (isPatched('move-at-safe-point')) await moveWaitingExecutions();
    }
    const batch = queue.splice(
      0,
      isPatched('smaller-batches') ? MAX_EVENTS_PER_TASK : MAX_EVENTS_PER_TASK_V0,
    );
    const due = boundedTasks
      ? deadlines.popDue(Date.now(), MAX_DEADLINES_PER_TASK)
      : deadlines.popDue(Date.now());
    await routeBatch(batch, due);
    routed += batch.length;
    if (boundedTasks && wake() && !(holdRightAfterRouting && runIsFull())) await endTask();
  }

  /**
   * A signal can reach the previous run and still not be in what it carried over: in the
   * time-skipping tests, a batch signalled while the checkpoint was being written was in the old
   * run's history, after the continue-as-new had been decided, and in neither run's state (about
   * one run in four). The outbox holds every event, so the new run reads the shard's events after
   * the carried high-water mark and takes those it has not been signalled. Bounded: anything later
   * still comes by signal.
   */
  async function catchUpFromOutbox(
    carriedThrough: number,
    firstPage?: Promise<RoutedEvent[]>,
  ): Promise<void> {
    let after = carriedThrough;
    for (let page = 0; page < CATCH_UP_PAGES; page++) {
      const events = await (page === 0 && firstPage
        ? firstPage
        : checkpointActivities.loadEventsAfter({
            shard: input.shard,
            afterSeq: after,
            limit: CATCH_UP_PAGE_SIZE,
          }));
      runWeight += events.length * EVENT_WEIGHT;
      const queued = new Set(queue.map((event) => event.seq));
      const missed = events.filter((event) => !queued.has(event.seq));
      if (missed.length > 0) {
        // Mostly events the dispatcher held while the previous run continued as new; rarely lost ones.
        log.info('routing outbox events this run was not signalled', {
          shard: input.shard,
          count: missed.length,
          firstSeq: missed[0]?.seq,
        });
        queue.push(...missed);
      }
      const last = events.at(-1)?.seq;
      if (last !== undefined) highWaterMark = Math.max(highWaterMark, last);
      if (last === undefined || events.length < CATCH_UP_PAGE_SIZE) break;
      after = last;
    }
    // Signals that came meanwhile may be ahead of what was read; route in sequence order.
    queue.sort((a, b) => a.seq - b.seq);
  }

  /**
   * A stop signalled while the previous run continued as new can be in neither run, like the
   * events above, and the admin was told it stopped. The runtime records each request before it
   * signals and keeps it until this shard writes the execution's end, so the stored ones include
   * those lost; applying one that was applied already finds nothing live and does nothing.
   */
  async function catchUpStopRequests(read?: Promise<StopExecutionRequest[]>): Promise<void> {
    const stored = await (read ?? stopRequestActivities.loadStopRequests({ shard: input.shard }));
    runWeight += stored.length * EVENT_WEIGHT;
    const signalled = new Set(stopRequests.map((request) => request.executionId));
    stopRequests.push(...stored.filter((request) => !signalled.has(request.executionId)));
  }

  async function routeBatch(batch: RoutedEvent[], due: Deadline[]): Promise<void> {
    await loadMissingGraphs(batch, due);
    const work = new TaskOutput();
    const neverEarly = isPatched('deadlines-never-early');
    for (const deadline of due) {
      // Deadlines are taken at the task's time, but loading graphs (after continue-as-new)
      // resolves in an activation whose time can be earlier: measured in the escalation bench,
      // timeouts stepped up to 0.8 s before their deadline. Such a deadline waits for its timer.
      if (neverEarly && deadline.dueAt > Date.now()) {
        deadlines.push(deadline);
        continue;
      }
      const state = conversations.get(deadline.conversationId);
      // Stale deadlines (the node moved on) were left in the heap; skip them here.
      if (!state || pendingTimer(state)?.key !== deadline.key) continue;
      runStep(
        state,
        { type: 'timer.fired', conversationId: deadline.conversationId, key: deadline.key },
        work,
      );
    }
    if (isPatched('settle-before-next-event')) {
      await routeInWaves(batch, new Set(due.map((deadline) => deadline.conversationId)), work);
      return;
    }
    for (const event of batch) {
      const state = conversations.get(event.conversationId) ?? emptyConversationState(event.conversationId);
      runStep(state, event, work);
    }
    await settle(work);
  }

  /**
   * Since `settle-before-next-event`: a conversation's second event in a batch waits until the
   * effects of its first have settled. Normally a batch holds one event per conversation, but a
   * failed workflow task is retried with every signal that came meanwhile in one activation: the
   * assignee's acknowledgement then met an execution still awaiting its assignment, which drops
   * any event, and the conversation escalated although acknowledged (19 of 20,000 in the
   * escalation bench).
   */
  async function routeInWaves(batch: RoutedEvent[], stepped: Set<string>, work: TaskOutput): Promise<void> {
    let wave = batch;
    let output = work;
    // The first wave settles the deadlines' steps too, even when no event came.
    do {
      const later: RoutedEvent[] = [];
      for (const event of wave) {
        if (stepped.has(event.conversationId)) {
          later.push(event);
          continue;
        }
        stepped.add(event.conversationId);
        const state = conversations.get(event.conversationId) ?? emptyConversationState(event.conversationId);
        runStep(state, event, output);
      }
      await settle(output);
      output = new TaskOutput();
      stepped.clear();
      wave = later;
    } while (wave.length > 0);
  }

  /**
   * Effects whose results feed back into the graph (assign → assigned/unassigned) can ask for
   * more effects; keeps going until the batch settles.
   */
  async function settle(first: TaskOutput): Promise<void> {
    let work = first;
    while (!work.isEmpty()) {
      if (traceWithNextBatch && work.effects.length === 0) {
        carriedTrace = carriedTrace ? carriedTrace.followedBy(work) : work;
        return;
      }
      const outcomes = await applyEffects(work);
      runWeight += outcomes.length * outcomeWeight;
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
    const stoppable = (request: StopExecutionRequest) => {
      const state = conversations.get(request.conversationId);
      const execution = state?.execution;
      // Finished already, or another execution by now: nothing of the one asked about is left.
      return execution && execution.executionId === request.executionId && isLive(state) ? execution : null;
    };
    // Stops read from the database come first in a run, before any graph is loaded: the trace
    // would name the stopped node's type '?'.
    if (isPatched('stop-requests-from-database')) {
      const missing = new Set(requests.flatMap((request) => stoppable(request)?.workflowVersionId ?? []));
      for (const versionId of graphs.keys()) missing.delete(versionId);
      if (missing.size > 0)
        for (const [versionId, graph] of Object.entries(await activities.loadGraphs([...missing])))
          graphs.set(versionId, graph);
    }
    for (const request of requests) {
      const execution = stoppable(request);
      if (!execution) continue;
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
    if (records.length === 0) return;
    if (!carriedTrace) {
      await activities.applyEffects({ effects: [], records, executions });
      return;
    }
    // A carried trace holds the execution's earlier snapshot (waiting, maybe of the same
    // millisecond): written after the stop, it could put the stopped execution back to waiting.
    // In one call, the stop's snapshot replaces it.
    const stopped = new TaskOutput();
    stopped.records.push(...records);
    for (const execution of executions) stopped.executions.set(execution.executionId, execution);
    await applyEffects(stopped);
  }

  async function applyEffects(output: TaskOutput): Promise<EffectOutcome[]> {
    const work = carriedTrace ? carriedTrace.followedBy(output) : output;
    carriedTrace = null;
    const input = { effects: work.effects, records: work.records, executions: [...work.executions.values()] };
    if (!isPatched('effects-in-chunks')) return activities.applyEffects(input);
    if (isPatched('trace-in-chunks')) return applyInChunks(input);
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

  /**
   * Effects and the trace both in bounded chunks, so no activity input nears the 512 KB payload
   * warning. A step's record may go a chunk after its effect; both are idempotent by key, and a
   * task that fails between chunks writes them all again.
   */
  async function applyInChunks(input: ApplyEffectsInput): Promise<EffectOutcome[]> {
    const outcomes: EffectOutcome[] = [];
    const chunks = Math.max(
      1,
      Math.ceil(input.effects.length / EFFECTS_PER_ACTIVITY),
      Math.ceil(input.records.length / RECORDS_PER_ACTIVITY),
      Math.ceil(input.executions.length / RECORDS_PER_ACTIVITY),
    );
    for (let chunk = 0; chunk < chunks; chunk++) {
      const slice = <T>(items: T[], size: number) => items.slice(chunk * size, (chunk + 1) * size);
      const answered = await activities.applyEffects({
        effects: slice(input.effects, EFFECTS_PER_ACTIVITY),
        records: slice(input.records, RECORDS_PER_ACTIVITY),
        executions: slice(input.executions, RECORDS_PER_ACTIVITY),
      });
      outcomes.push(...answered);
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
    if (moves.size > 0 && isPatched('move-at-safe-point')) moveIfSafe(result);
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
    return event.type === 'message.received' || isPatched('route-all-event-types');
  }

  /**
   * After a step: an execution that stands at a safe point now, on a version with a newer one to
   * move to, moves before anything else reaches it. The move goes into the step's output (trace).
   */
  function moveIfSafe(result: StepOutput): void {
    const versionId = result.state.execution?.workflowVersionId;
    const target = versionId ? moves.targetOf(versionId) : undefined;
    if (!versionId || !target) return;
    const from = graphs.get(versionId);
    const to = graphs.get(target.to.versionId);
    if (!from || !to) return;
    const move = moveAtSafePoint(
      result.state,
      { ...target.from, graph: from },
      { ...target.to, graph: to },
      Date.now(),
    );
    if (!move.moved) return;
    result.state = move.state;
    result.records.push(move.record);
  }

  /** Right after an announcement: executions waiting on a safe point already move now. */
  async function moveWaitingExecutions(): Promise<void> {
    const needed = new Set<string>();
    for (const state of conversations.values()) {
      const versionId = state.execution?.workflowVersionId;
      const target = versionId ? moves.targetOf(versionId) : undefined;
      if (!versionId || !target) continue;
      if (!graphs.has(versionId)) needed.add(versionId);
      if (!graphs.has(target.to.versionId)) needed.add(target.to.versionId);
    }
    if (needed.size > 0) {
      const loaded = await activities.loadGraphs([...needed]);
      for (const [versionId, graph] of Object.entries(loaded)) graphs.set(versionId, graph);
    }
    const work = new TaskOutput();
    const now = Date.now();
    for (const state of conversations.values()) {
      if (!isLive(state)) continue;
      const result: StepOutput = { state, effects: [], timers: [], records: [] };
      moveIfSafe(result);
      if (result.records.length === 0) continue;
      conversations.set(state.conversationId, result.state);
      work.add(result, now);
    }
    if (!work.isEmpty()) await applyEffects(work);
  }

  async function loadMissingGraphs(batch: RoutedEvent[], due: { conversationId: string }[]): Promise<void> {
    const missing = new Set<string>();
    for (const event of batch) {
      const live = conversations.get(event.conversationId);
      const versionId = live?.execution ? live.execution.workflowVersionId : event.workflowVersionId;
      if (versionId && !graphs.has(versionId)) missing.add(versionId);
      if (versionId && moves.size > 0 && isPatched('move-at-safe-point')) {
        // The version it may move to, for the safe point check after its step.
        const target = moves.targetOf(versionId)?.to.versionId;
        if (target && !graphs.has(target)) missing.add(target);
      }
    }
    // After continue-as-new the cache is empty: a deadline can come due before any event of its
    // version arrives, and before this patch it then fired into nothing.
    if (due.length > 0 && isPatched('load-graphs-for-deadlines')) {
      for (const deadline of due) {
        const versionId = conversations.get(deadline.conversationId)?.execution?.workflowVersionId;
        if (versionId && !graphs.has(versionId)) missing.add(versionId);
        const target = versionId && moves.size > 0 ? moves.targetOf(versionId)?.to.versionId : undefined;
        if (target && !graphs.has(target) && isPatched('move-at-safe-point')) missing.add(target);
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

  /** This output and then `later`'s: a later snapshot of the same execution replaces an earlier one. */
  followedBy(later: TaskOutput): TaskOutput {
    const both = new TaskOutput();
    both.effects.push(...this.effects, ...later.effects);
    both.records.push(...this.records, ...later.records);
    for (const [id, snapshot] of this.executions) both.executions.set(id, snapshot);
    for (const [id, snapshot] of later.executions) both.executions.set(id, snapshot);
    return both;
  }
}
