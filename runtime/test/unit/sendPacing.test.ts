import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboundSender } from '../../src/whatsapp/outbound/outboundSender';
import { NOW, outboundFixture } from '../support/outboundFixture';

let fixture: Awaited<ReturnType<typeof outboundFixture>>;

beforeEach(async () => {
  fixture = await outboundFixture();
});
afterEach(() => fixture.close());

const text = (body: string) => ({ type: 'text' as const, text: { body } });

/** The most sends that fell into any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('throughput of one business number', () => {
  it('never exceeds 80 messages in any second, however many conversations send at once', async () => {
    const conversations = Array.from({ length: 240 }, (_, i) =>
      fixture.customer(`55119${String(i).padStart(8, '0')}`),
    );
    for (const conversationId of conversations) {
      const outcome = await fixture.sender.send({ conversationId, message: text('promo') });
      expect(outcome.sent).toBe(true);
    }
    const times = fixture.graphApi.sent.map((send) => send.at);
    expect(times).toHaveLength(240);
    expect(busiestWindow(times, 1000)).toBe(80);
    // 240 messages at 80/s take three seconds, less one spacing.
    expect(Math.max(...times) - NOW).toBeCloseTo(239 * 12.5, 0);
  });

  it('the limit is configurable', async () => {
    const slow = createOutboundSender(fixture.db, {
      ...fixture.options,
      pacing: { ...fixture.options.pacing, messagesPerSecond: 10 },
    });
    for (let i = 0; i < 30; i++) {
      await slow.send({ conversationId: fixture.customer(`5521900000${i}`), message: text('x') });
    }
    expect(
      busiestWindow(
        fixture.graphApi.sent.map((send) => send.at),
        1000,
      ),
    ).toBe(10);
  });
});

describe("pacing towards one customer (Meta's pair rate limit)", () => {
  it('lets a burst through, then spaces messages 6 s apart', async () => {
    const conversationId = fixture.customer('5511977770000');
    for (let i = 0; i < 8; i++) await fixture.sender.send({ conversationId, message: text(`part ${i}`) });
    const offsets = fixture.graphApi.sent.map((send) => Math.round(send.at - NOW));
    // Five back to back (each only waits for the number's 12.5 ms spacing), then one every 6 s.
    expect(offsets.slice(0, 5).every((offset) => offset < 100)).toBe(true);
    expect(offsets.slice(5)).toEqual([6000, 12000, 18000]);
  });

  it('other customers are not held up by one busy conversation', async () => {
    const busy = fixture.customer('5511977770001');
    for (let i = 0; i < 6; i++) await fixture.sender.send({ conversationId: busy, message: text(`${i}`) });
    const before = fixture.clock.now;
    await fixture.sender.send({ conversationId: fixture.customer('5511977770002'), message: text('hi') });
    expect(fixture.clock.now - before).toBeLessThan(100);
  });

  it('a send that would wait beyond the maximum is put off with the time to come back, not queued', async () => {
    const impatient = createOutboundSender(fixture.db, {
      ...fixture.options,
      pacing: { ...fixture.options.pacing, recipientBurst: 2, maxWaitMs: 1000 },
    });
    const conversationId = fixture.customer('5511977770003');
    expect((await impatient.send({ conversationId, message: text('1') })).sent).toBe(true);
    expect((await impatient.send({ conversationId, message: text('2') })).sent).toBe(true);
    const third = await impatient.send({ conversationId, message: text('3') });
    expect(third).toMatchObject({ sent: false, failure: { kind: 'paced' } });
    if (!third.sent) expect(third.failure.retryAfterMs).toBeGreaterThan(5000);
    expect(fixture.graphApi.sent).toHaveLength(2);
  });

  it('two senders on one database (the API and the router worker) share the limits', async () => {
    const worker = createOutboundSender(fixture.db, fixture.options);
    const conversationId = fixture.customer('5511977770004');
    for (let i = 0; i < 5; i++) await fixture.sender.send({ conversationId, message: text(`api ${i}`) });
    const before = fixture.clock.now;
    await worker.send({ conversationId, message: text('from a workflow') });
    expect(fixture.clock.now - before).toBeGreaterThanOrEqual(5900);
  });
});
