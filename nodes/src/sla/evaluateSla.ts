import { type Interval, openIntervals } from '../conditions/businessHours/businessTime';
import type { BusinessHoursConfig } from '../conditions/businessHours/schema';
import type { SlaMeasure, SlaPolicy } from './policy';

/** WhatsApp's customer-service window: free-form replies are allowed for 24 h after the last inbound. */
export const SERVICE_WINDOW_MS = 24 * 3_600_000;
const WEEK = 7 * 86_400_000;
/** How far ahead a running clock is projected to find its due time. */
const HORIZON = 400 * 86_400_000;

export interface SlaTimeline {
  /** Start of the current open period. */
  openedAt: number;
  /**
   * The period's messages, oldest first. `automated`: an outbound message no agent wrote (a workflow's
   * send); it is not a response and does not put the conversation on the customer.
   */
  messages: ReadonlyArray<{ direction: 'inbound' | 'outbound'; at: number; automated?: boolean }>;
  closedAt: number | null;
}

export type SlaClockState = 'running' | 'paused' | 'met' | 'breached' | 'window_closed';

export interface SlaClock {
  measure: SlaMeasure;
  /** 0 for first response and resolution; 1, 2, … for each next-response wait. */
  cycle: number;
  startedAt: number;
  targetMs: number;
  /** Counted time so far (business or calendar, pauses excluded). */
  elapsedMs: number;
  state: SlaClockState;
  /** When the warning share of the target is (or was, or will be if nothing changes) reached. */
  warnAt: number | null;
  /** When the target is (or was, or will be if nothing changes) reached. */
  dueAt: number | null;
  /** The reply or close that stopped the clock. */
  stoppedAt: number | null;
  /** Response clocks: when the 24-hour window shuts before our reply. */
  windowClosesAt: number | null;
}

/**
 * The SLA clocks of one open period, as of `now`. Pure: the same timeline, policy and instant always
 * give the same clocks. The rules (README, "SLA policies"):
 * - only people respond: outbound messages sent by automation (`automated`) are left out of every clock;
 * - first response runs from the first inbound message to the first agent-written outbound one;
 * - next response runs from the customer's first message after one of ours to our next message;
 * - both run only while the 24-hour window is open: once it closes only a template could be sent,
 *   so an unanswered clock that has not breached by then ends as `window_closed` and counts neither
 *   as met nor as breached;
 * - resolution runs from the opening to the close, paused while waiting on the customer (from each
 *   of our messages until the customer writes again);
 * - with business hours, only open time counts.
 */
export function evaluateSla(policy: SlaPolicy, fullTimeline: SlaTimeline, now: number): SlaClock[] {
  const timeline: SlaTimeline = {
    ...fullTimeline,
    messages: fullTimeline.messages.filter(
      (message) => !(message.direction === 'outbound' && message.automated),
    ),
  };
  const clocks: SlaClock[] = [];
  const hours = policy.businessHours;
  const inbound = timeline.messages.filter((message) => message.direction === 'inbound');
  const window = serviceWindow(inbound.map((message) => message.at));
  const responseWaits = customerWaits(timeline);
  const firstWait = responseWaits[0];
  if (policy.firstResponseMinutes && firstWait)
    clocks.push(responseClock('first_response', 0, firstWait, policy.firstResponseMinutes, window));
  if (policy.nextResponseMinutes)
    responseWaits.slice(1).forEach((wait, index) => {
      clocks.push(responseClock('next_response', index + 1, wait, policy.nextResponseMinutes ?? 0, window));
    });
  if (policy.resolutionMinutes) {
    const end = timeline.closedAt ?? Number.POSITIVE_INFINITY;
    const runs = subtract([{ start: timeline.openedAt, end }], waitingOnCustomer(timeline));
    clocks.push(
      settle(
        {
          measure: 'resolution',
          cycle: 0,
          startedAt: timeline.openedAt,
          targetMs: policy.resolutionMinutes * 60_000,
          stoppedAt: timeline.closedAt,
          runs,
          runsOutAt: null,
        },
        hours,
        policy.warnAtPercent,
        now,
      ),
    );
  }
  return clocks;

  function responseClock(
    measure: SlaMeasure,
    cycle: number,
    wait: Interval,
    minutes: number,
    windowIntervals: Interval[],
  ): SlaClock {
    const runs = intersect([wait], windowIntervals);
    const stoppedAt = Number.isFinite(wait.end) ? wait.end : null;
    const lastRun = runs.at(-1);
    // The window shut before our reply: from then on only a template could be sent.
    const runsOutAt = lastRun && lastRun.end < wait.end ? lastRun.end : null;
    return settle(
      { measure, cycle, startedAt: wait.start, targetMs: minutes * 60_000, stoppedAt, runs, runsOutAt },
      hours,
      policy.warnAtPercent,
      now,
    );
  }
}

interface ClockDraft {
  measure: SlaMeasure;
  cycle: number;
  startedAt: number;
  targetMs: number;
  stoppedAt: number | null;
  /** When the clock runs (before counting business hours); the last may be open-ended. */
  runs: Interval[];
  /** For a response clock whose window closes unanswered. */
  runsOutAt: number | null;
}

function settle(draft: ClockDraft, hours: BusinessHoursConfig | null, warnAtPercent: number, now: number) {
  const warnMs = Math.round((draft.targetMs * warnAtPercent) / 100);
  const [warnAt, dueAt] = crossings(draft.runs, hours, [warnMs, draft.targetMs]);
  const countedUntil = Math.min(now, draft.stoppedAt ?? now);
  const elapsedMs = counted(clip(draft.runs, countedUntil), hours);
  const due = dueAt ?? null;
  const { stoppedAt, runsOutAt } = draft;
  let state: SlaClockState;
  // A reply exactly at the target meets it.
  if (due !== null && due <= now && (stoppedAt === null || due < stoppedAt)) state = 'breached';
  else if (stoppedAt !== null && stoppedAt <= now && runsOutAt === null) state = 'met';
  else if (runsOutAt !== null && runsOutAt <= now) state = 'window_closed';
  else state = draft.runs.some((run) => run.start <= now && now < run.end) ? 'running' : 'paused';
  const { runs: _runs, runsOutAt: windowClosesAt, ...clock } = draft;
  return { ...clock, elapsedMs, state, warnAt: warnAt ?? null, dueAt: due, windowClosesAt };
}

/** The instants at which counted time reaches each threshold (undefined: never, within the horizon). */
function crossings(runs: Interval[], hours: BusinessHoursConfig | null, thresholds: number[]) {
  const found: (number | undefined)[] = thresholds.map(() => undefined);
  let total = 0;
  for (const run of runs) {
    const end = Math.min(run.end, run.start + HORIZON);
    for (let chunk = run.start; chunk < end; chunk += WEEK) {
      const pieces = hours
        ? openIntervals(hours, chunk, Math.min(end, chunk + WEEK))
        : [{ start: chunk, end: Math.min(end, chunk + WEEK) }];
      for (const piece of pieces) {
        const length = piece.end - piece.start;
        thresholds.forEach((threshold, index) => {
          if (found[index] === undefined && total + length >= threshold)
            found[index] = piece.start + threshold - total;
        });
        total += length;
      }
      if (found.every((instant) => instant !== undefined)) return found;
    }
  }
  return found;
}

function counted(runs: Interval[], hours: BusinessHoursConfig | null): number {
  return runs.reduce((sum, run) => {
    const pieces = hours ? openIntervals(hours, run.start, run.end) : [run];
    return sum + pieces.reduce((inner, piece) => inner + piece.end - piece.start, 0);
  }, 0);
}

/** Each stretch in which the customer waits for us: from their first message after ours to our next. */
function customerWaits(timeline: SlaTimeline): Interval[] {
  const waits: Interval[] = [];
  let waitingSince: number | null = null;
  for (const message of timeline.messages) {
    if (message.at < timeline.openedAt) continue;
    if (message.direction === 'inbound' && waitingSince === null) waitingSince = message.at;
    if (message.direction === 'outbound' && waitingSince !== null) {
      waits.push({ start: waitingSince, end: message.at });
      waitingSince = null;
    }
  }
  if (waitingSince !== null) waits.push({ start: waitingSince, end: Number.POSITIVE_INFINITY });
  return waits;
}

/** From each of our messages that answers the customer until they write again. */
function waitingOnCustomer(timeline: SlaTimeline): Interval[] {
  const spans: Interval[] = [];
  let since: number | null = null;
  for (const message of timeline.messages) {
    if (message.direction === 'outbound' && since === null) since = message.at;
    if (message.direction === 'inbound' && since !== null) {
      spans.push({ start: since, end: message.at });
      since = null;
    }
  }
  if (since !== null) spans.push({ start: since, end: Number.POSITIVE_INFINITY });
  return spans;
}

function serviceWindow(inboundTimes: number[]): Interval[] {
  return merge(inboundTimes.map((at) => ({ start: at, end: at + SERVICE_WINDOW_MS })));
}

function merge(intervals: Interval[]): Interval[] {
  const merged: Interval[] = [];
  for (const interval of [...intervals].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const result: Interval[] = [];
  for (const x of a)
    for (const y of b) {
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (end > start) result.push({ start, end });
    }
  return merge(result);
}

function subtract(from: Interval[], holes: Interval[]): Interval[] {
  let pieces = from;
  for (const hole of holes)
    pieces = pieces.flatMap((piece) => {
      if (hole.end <= piece.start || hole.start >= piece.end) return [piece];
      const parts: Interval[] = [];
      if (hole.start > piece.start) parts.push({ start: piece.start, end: hole.start });
      if (hole.end < piece.end) parts.push({ start: hole.end, end: piece.end });
      return parts;
    });
  return pieces;
}

function clip(runs: Interval[], until: number): Interval[] {
  return runs
    .map((run) => ({ start: run.start, end: Math.min(run.end, until) }))
    .filter((run) => run.end > run.start);
}
