import { shardOf } from '@switchboard/shared';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/access/bootstrapAccess';
import { createShardHealth, type ShardHealth } from '../../src/routing/shardHealth';
import { eventually, postInboundText, signIn, startTestRuntime } from '../support/runtimeHarness';

let app: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  app = await startTestRuntime(inject('temporalAddress'));
});
afterAll(async () => {
  await app?.cleanup();
});

/** The shard that routed the conversation of `waId`, once it has been assigned. */
async function routedShard(waId: string): Promise<number> {
  const conversationId = await eventually(
    () =>
      app.db.$client
        .prepare(`SELECT id FROM conversations WHERE customer_wa_id = ? AND assignee_agent_id IS NOT NULL`)
        .pluck()
        .get(waId) as string | undefined,
  );
  return shardOf(conversationId, app.shardCount);
}

describe('router shard health, read from Temporal', () => {
  it('an admin sees each shard’s current run with its history size; an agent may not', async () => {
    expect((await postInboundText(app.url, { from: '5511977770001', text: 'Oi' })).status).toBe(200);
    const shard = await routedShard('5511977770001');

    const response = await app.api('/api/router/shards');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { historyLimitBytes: number; shards: ShardHealth[] };
    expect(body.historyLimitBytes).toBe(50 * 1024 * 1024);
    expect(body.shards.map((entry) => entry.shard)).toEqual(
      Array.from({ length: app.shardCount }, (_, index) => index),
    );
    // A shard that has routed nothing yet has no workflow: not started, which is not an error.
    for (const entry of body.shards) {
      expect(entry.error).toBeNull();
      expect(['RUNNING', 'NOT_STARTED']).toContain(entry.status);
    }
    const routing = body.shards[shard];
    // Temporal's own description of the run that routed the conversation, and the shard's answer.
    expect(routing).toMatchObject({ status: 'RUNNING', warning: null, error: null });
    expect(routing?.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(routing?.historyEvents).toBeGreaterThan(3);
    expect(routing?.historyBytes).toBeGreaterThan(1000);
    expect(routing?.liveConversations).toEqual(expect.any(Number));
    expect(routing?.pendingDeadlines).toEqual(expect.any(Number));

    const agent = await signIn(app.url, 'ana@demo.switchboard', DEMO_PASSWORD);
    expect((await agent.fetch('/api/router/shards')).status).toBe(403);
  }, 60_000);

  it('a run past the warning size is reported with what to do, and logged once per run', async () => {
    expect((await postInboundText(app.url, { from: '5511977770002', text: 'Oi' })).status).toBe(200);
    const shard = await routedShard('5511977770002');
    const warnings: string[] = [];
    const log = pino(
      { level: 'warn' },
      { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) },
    );
    // Any real run is past one byte: the threshold stands in for Temporal's 10 MB.
    const health = createShardHealth({
      client: app.client,
      taskQueue: app.env.TEMPORAL_TASK_QUEUE as string,
      shardCount: app.shardCount,
      log,
      warnBytes: 1,
    });

    const first = await health.check();
    const routing = first[shard];
    expect(routing?.warning).toMatch(/^run history \d+\.\d MB; Temporal fails a run at 50\.0 MB/);
    expect(routing?.warning).toContain(`its ${routing?.liveConversations} live conversations`);
    expect(routing?.warning).toContain('SHARD_COUNT');
    const warnedShards = first.filter((entry) => entry.warning !== null).map((entry) => entry.shard);
    expect(warnings).toHaveLength(warnedShards.length);
    expect(warnings.some((line) => line.startsWith(`router shard ${shard}: run history`))).toBe(true);

    // The same runs checked again: no second line for any of them.
    await health.check();
    expect(warnings).toHaveLength(warnedShards.length);
  }, 60_000);
});
