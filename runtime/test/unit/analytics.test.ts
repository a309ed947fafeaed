import { slaPolicyInputSchema } from '@switchboard/nodes';
import { describe, expect, it } from 'vitest';
import { createAnalyticsAggregator, FOLD_BATCH_ROWS } from '../../src/analytics/aggregator';
import { createDashboardQuery } from '../../src/analytics/dashboardQuery';
import { createRoutedEventQueue } from '../../src/conversations/routedEventQueue';
import { createSlaEngine } from '../../src/sla/slaEngine';
import { createSlaPolicyStore } from '../../src/sla/slaPolicyStore';
import {
  acknowledge,
  conversation,
  handBuiltScenario,
  june,
  MINUTE,
  message,
  scenarioDatabase,
} from '../support/analyticsScenario';
import { fileDatabaseWithWorker } from '../support/testDatabase';

describe('team analytics over a hand-built scenario', () => {
  const { db, alerts, summarize, range } = handBuiltScenario();
  const all = summarize(range);

  it('counts messages, openings, closes and the backlog', () => {
    // Outbound: 3 agent replies + 2 workflow greetings (c1 09:02, c3 14:02).
    expect(all.totals).toMatchObject({ inbound: 4, outbound: 5, opened: 3, closed: 1, backlog: 2 });
  });

  it('first response: c1 10 min, c2 60 min → 2 answered, 35 min on average', () => {
    // c1's 09:02 greeting is automation: its first response is Ana's 09:10 reply, 10 min (not 2 min,
    // which would make (2 + 60) / 2 = 31 min). c3's 14:02 greeting answers nothing: still 2 answered.
    expect(all.totals.firstResponse).toEqual({ count: 2, averageMs: 35 * MINUTE });
  });

  it('response time over every answer: 10, 30 and 60 min → 33⅓ min', () => {
    // (10 + 30 + 60) / 3 min = 2,000,000 ms; the greetings add no answer of 2 min each.
    expect(all.totals.response).toEqual({ count: 3, averageMs: 2_000_000 });
  });

  it('resolution: c1 open 09:00 to 11:00 → 120 min; acknowledgement: 5 and 20 min → 12.5 min', () => {
    expect(all.totals.resolution).toEqual({ count: 1, averageMs: 120 * MINUTE });
    expect(all.totals.acknowledgement).toEqual({ count: 2, averageMs: 12.5 * MINUTE });
  });

  it('SLA: 2 met (c1 first response, c1 resolution), 3 breached (c1 next, c2 first, c3 first) → 40 %', () => {
    // c3's greeting at 14:02 does not stop its first-response clock: due 14:30, breached by 16:00.
    // Counted as a response it would have been met, making 3 met / 2 breached = 60 %.
    // c1 resolution ran 09:00–09:10 and 10:00–10:30 (40 min; paused while waiting on the customer).
    // c2 resolution ran 60 min then paused after our reply; c3 resolution is still running: neither counts.
    expect(all.totals.sla).toEqual({ met: 2, breached: 3, attainment: 0.4 });
    // Breaches of open conversations found at the 16:00 tick went into the outbox once each as an
    // sla.alert; c1 was closed at 11:00, before the tick, so its breach is counted but not announced.
    expect(alerts).toBe(2);
    const outbox = db.$client.prepare(`SELECT payload FROM outbox ORDER BY seq`).pluck().all() as string[];
    expect(
      outbox
        .map((payload) => JSON.parse(payload))
        .map((event) => [event.conversationId, event.level, event.measure]),
    ).toEqual([
      ['c2', 'breach', 'first_response'],
      ['c3', 'breach', 'first_response'],
    ]);
  });

  it('workload: Ana 2, Ben 2, Cid 0 → Gini 8 / (2·3·4) = ⅓, max/min undefined; one reassignment', () => {
    expect(all.workload.agents.map((agent) => [agent.id, agent.assignments])).toEqual([
      ['ana', 2],
      ['ben', 2],
    ]);
    expect(all.workload.fairness.gini).toBeCloseTo(1 / 3, 10);
    expect(all.workload.fairness.maxMinRatio).toBeNull();
    expect(all.totals.reassignments).toBe(1);
    expect(all.workload.teams).toEqual([
      { id: 'support', name: 'Support', assignments: 4, reassignments: 1 },
    ]);
  });

  it('escalations by reason: two first-response breaches, one next-response breach, one ladder step', () => {
    expect(all.escalations).toEqual([
      { reason: 'SLA breach: first response', count: 2 },
      { reason: 'SLA breach: next response', count: 1 },
      { reason: 'not acknowledged in time', count: 1 },
    ]);
    expect(all.totals.escalations).toBe(4);
  });

  it('peak hours in Berlin: Monday 11:00 has 2 inbound, 12:00 has 1; Tuesday 16:00 has 1', () => {
    expect(all.heatmap[1]?.[11]).toBe(2);
    expect(all.heatmap[1]?.[12]).toBe(1);
    expect(all.heatmap[2]?.[16]).toBe(1);
    expect(all.heatmap.flat().reduce((sum, count) => sum + count, 0)).toBe(4);
  });

  it('days in Berlin: Monday ends with a backlog of 1, Tuesday with 2', () => {
    expect(all.days.map((day) => [day.date, day.inbound, day.opened, day.closed, day.backlog])).toEqual([
      ['2026-06-01', 3, 2, 1, 1],
      ['2026-06-02', 1, 1, 0, 2],
    ]);
  });

  it('filtered by tag vip: c1 and c3 only', () => {
    const vip = summarize({ ...range, tag: 'vip' });
    expect(vip.totals).toMatchObject({ inbound: 3, opened: 2, closed: 1, backlog: 1 });
    expect(vip.totals.firstResponse).toEqual({ count: 1, averageMs: 10 * MINUTE });
    expect(vip.totals.sla).toEqual({ met: 2, breached: 2, attainment: 0.5 });
  });

  it('filtered by agent Ben: his assignments and c2, the conversation he holds', () => {
    const ben = summarize({ ...range, agentId: 'ben' });
    expect(ben.totals).toMatchObject({ inbound: 1, outbound: 1, assignments: 2 });
    expect(ben.totals.firstResponse).toEqual({ count: 1, averageMs: 60 * MINUTE });
    expect(ben.workload.fairness.gini).toBe(0);
  });

  it('a range before anything happened is empty, not an error', () => {
    const before = summarize({ ...range, from: june(1, 0) - 7 * 86_400_000, to: june(1, 0) });
    expect(before.totals).toMatchObject({
      inbound: 0,
      backlog: 0,
      sla: { met: 0, breached: 0, attainment: null },
    });
    expect(before.totals.firstResponse.averageMs).toBeNull();
  });
});

describe('the SLA scheduler, live', () => {
  it('warns at 80 % and breaches at 100 %, each once', () => {
    const db = scenarioDatabase();
    conversation(db, 'c9', { openedAt: june(1, 9), assignee: 'ana' });
    message(db, 'c9', 'inbound', june(1, 9));
    // A workflow's acknowledgement is not a response: the first-response clock keeps running.
    message(db, 'c9', 'outbound', june(1, 9, 1));
    const policies = createSlaPolicyStore(db);
    policies.create(slaPolicyInputSchema.parse({ name: 'fast', firstResponseMinutes: 10 }), 0);
    const engine = createSlaEngine(db, policies, createRoutedEventQueue(db, 4));
    const levels = () =>
      (db.$client.prepare(`SELECT payload FROM outbox ORDER BY seq`).pluck().all() as string[]).map(
        (payload) => JSON.parse(payload).level,
      );
    expect(engine.tick(june(1, 9, 1))).toBe(0);
    expect(db.$client.prepare(`SELECT next_check_at FROM sla_clocks`).pluck().get()).toBe(june(1, 9, 8));
    expect(engine.tick(june(1, 9, 8))).toBe(1);
    expect(levels()).toEqual(['warning']);
    expect(engine.tick(june(1, 9, 9))).toBe(0);
    expect(engine.tick(june(1, 9, 10))).toBe(1);
    expect(engine.tick(june(1, 9, 30))).toBe(0);
    expect(levels()).toEqual(['warning', 'breach']);
  });

  it('evaluates new messages 250 at a time, one transaction each, until every conversation has its clock', () => {
    const db = scenarioDatabase();
    for (let i = 0; i < 600; i++) {
      conversation(db, `s${i}`, { openedAt: june(1, 9), assignee: 'ana' });
      message(db, `s${i}`, 'inbound', june(1, 9));
    }
    const policies = createSlaPolicyStore(db);
    policies.create(slaPolicyInputSchema.parse({ name: 'fast', firstResponseMinutes: 10 }), 0);
    const engine = createSlaEngine(db, policies, createRoutedEventQueue(db, 4));
    const clocked = () =>
      db.$client.prepare(`SELECT count(DISTINCT conversation_id) FROM sla_clocks`).pluck().get();

    expect(engine.slice(june(1, 9, 1))).toEqual({ alerts: 0, more: true });
    expect(clocked()).toBe(250);
    expect(engine.slice(june(1, 9, 1))).toEqual({ alerts: 0, more: true });
    expect(clocked()).toBe(500);
    expect(engine.slice(june(1, 9, 1))).toEqual({ alerts: 0, more: false });
    expect(clocked()).toBe(600);
    // Past the 8-minute warning: the later slices of a tick read messages only; the first reads
    // every clock that came due.
    expect(engine.slice(june(1, 9, 8), true)).toEqual({ alerts: 0, more: false });
    expect(engine.slice(june(1, 9, 8))).toEqual({ alerts: 600, more: false });
  });
});

describe('peak hours across the Berlin spring change', () => {
  it('00:30Z is 01:30 CET and 01:30Z is 03:30 CEST on Sunday 29 March', () => {
    const db = scenarioDatabase();
    conversation(db, 'c1', { openedAt: Date.UTC(2026, 2, 29, 0, 30), assignee: 'ana' });
    message(db, 'c1', 'inbound', Date.UTC(2026, 2, 29, 0, 30));
    message(db, 'c1', 'inbound', Date.UTC(2026, 2, 29, 1, 30));
    // Saturday 23:30Z is already Sunday 00:30 in Berlin.
    message(db, 'c1', 'inbound', Date.UTC(2026, 2, 28, 23, 30));
    createAnalyticsAggregator(db).catchUp();
    const summary = createDashboardQuery(db)({
      from: Date.UTC(2026, 2, 27),
      to: Date.UTC(2026, 2, 31),
      timeZone: 'Europe/Berlin',
    });
    const SUNDAY = 0;
    expect(summary.heatmap[SUNDAY]?.[0]).toBe(1);
    expect(summary.heatmap[SUNDAY]?.[1]).toBe(1);
    expect(summary.heatmap[SUNDAY]?.[2]).toBe(0);
    expect(summary.heatmap[SUNDAY]?.[3]).toBe(1);
    expect(summary.days.map((day) => [day.date, day.inbound])).toEqual([['2026-03-29', 3]]);
  });
});

/**
 * A tick reads its batch while `worker` holds the write lock, then waits for it; a dashboard fold
 * runs as the lock comes free, before the tick's write. The facts each of them counted.
 */
async function tickOvertakenByDashboard(
  aggregator: ReturnType<typeof createAnalyticsAggregator>,
  worker: ReturnType<typeof fileDatabaseWithWorker>['worker'],
) {
  worker.exec('BEGIN IMMEDIATE');
  const ticking = aggregator.catchUpWhenFree();
  worker.exec('COMMIT');
  const dashboard = aggregator.catchUp();
  return { dashboard, tick: await ticking };
}

describe('folding while the router worker holds the write lock', () => {
  it('reads without the lock, and a batch another fold counted first is not counted again', async () => {
    const { db, worker, close } = fileDatabaseWithWorker('analytics-stale');
    try {
      scenarioDatabase(db);
      conversation(db, 'c1', { openedAt: june(2, 9), assignee: 'ana' });
      for (const minute of [0, 1, 2]) message(db, 'c1', 'inbound', june(2, 9, minute));
      const aggregator = createAnalyticsAggregator(db);

      expect(await tickOvertakenByDashboard(aggregator, worker)).toEqual({ dashboard: 3, tick: 0 });

      const totals = createDashboardQuery(db)({ from: june(1, 0), to: june(3, 0), timeZone: 'UTC' }).totals;
      expect(totals).toMatchObject({ inbound: 3, opened: 1 });
    } finally {
      close();
    }
  });

  it('nor an acknowledgement at the very instant of the last one folded, though no mark moved', async () => {
    const { db, worker, close } = fileDatabaseWithWorker('analytics-same-instant');
    try {
      scenarioDatabase(db);
      const at = june(2, 9, 5);
      for (const id of ['c1', 'c2']) conversation(db, id, { openedAt: june(2, 9), assignee: 'ana' });
      acknowledge(db, 'c1', at);
      const aggregator = createAnalyticsAggregator(db);
      aggregator.catchUp();
      acknowledge(db, 'c2', at);

      expect(await tickOvertakenByDashboard(aggregator, worker)).toEqual({ dashboard: 1, tick: 0 });

      const totals = createDashboardQuery(db)({ from: june(1, 0), to: june(3, 0), timeZone: 'UTC' }).totals;
      expect(totals.acknowledgement.count).toBe(2);
    } finally {
      close();
    }
  });
});

describe('a tick with more than a batch to fold', () => {
  it('lets other work run between its batches, and folds every fact', async () => {
    const db = scenarioDatabase();
    conversation(db, 'c1', { openedAt: june(2, 9), assignee: 'ana' });
    const facts = 2 * FOLD_BATCH_ROWS + 10;
    for (let i = 0; i < facts; i++) message(db, 'c1', 'inbound', june(2, 9) + i * 1000);
    const inboundFolded = () =>
      createDashboardQuery(db)({ from: june(1, 0), to: june(3, 0), timeZone: 'UTC' }).totals.inbound;
    // Another piece of work of the same event loop (a webhook, a push), looking at the rollups
    // each time it gets a turn.
    const seenMeanwhile: number[] = [];
    let ticking = true;
    const otherWork = () => {
      seenMeanwhile.push(inboundFolded());
      if (ticking) setImmediate(otherWork);
    };
    setImmediate(otherWork);

    const counted = await createAnalyticsAggregator(db).catchUpWhenFree();
    ticking = false;

    expect(counted).toBe(facts);
    expect(inboundFolded()).toBe(facts);
    expect(seenMeanwhile.filter((folded) => folded > 0 && folded < facts).length).toBeGreaterThanOrEqual(2);
  });
});
