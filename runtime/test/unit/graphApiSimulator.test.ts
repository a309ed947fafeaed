import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValidWebhookSignature } from '../../src/whatsapp/signature';
import { GraphApiSimulator } from '../../src/whatsapp/simulator/graphApiSimulator';

const TOKEN = 'sim-token';
const SECRET = 'sim-app-secret';
let receiver: Server;
let received: { signed: boolean; body: { entry: { changes: { value: { statuses: unknown[] } }[] }[] } }[];
let graphApi: GraphApiSimulator;
let now: number;

beforeEach(async () => {
  received = [];
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const signature = request.headers['x-hub-signature-256'] as string | undefined;
      received.push({
        signed: isValidWebhookSignature(raw, signature, SECRET),
        body: JSON.parse(String(raw)),
      });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  now = 1_764_000_000_000;
  graphApi = new GraphApiSimulator(TOKEN, {
    webhook: {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/whatsapp`,
      appSecret: SECRET,
    },
    statusDelayMs: 1,
    clock: () => now,
  });
  await graphApi.start();
});
afterEach(async () => {
  await graphApi.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

const post = (path: string, body: unknown, token = TOKEN) =>
  fetch(`${graphApi.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const textTo = (to: string) => ({ messaging_product: 'whatsapp', to, type: 'text', text: { body: 'hi' } });
const statusesOf = () =>
  received.map(
    (delivery) => delivery.body.entry[0]?.changes[0]?.value.statuses[0] as Record<string, unknown>,
  );

describe('the Graph API simulator', () => {
  it('answers a message id, then posts signed status webhooks sent → delivered → read', async () => {
    const response = await post('/v23.0/100000000000001/messages', textTo('5511900000001'));
    expect(response.status).toBe(200);
    const { messages, contacts } = await response.json();
    expect(contacts).toEqual([{ input: '5511900000001', wa_id: '5511900000001' }]);
    await graphApi.statusesSettled();
    expect(received.every((delivery) => delivery.signed)).toBe(true);
    expect(statusesOf().map((status) => [status.id, status.status, status.recipient_id])).toEqual([
      [messages[0].id, 'sent', '5511900000001'],
      [messages[0].id, 'delivered', '5511900000001'],
      [messages[0].id, 'read', '5511900000001'],
    ]);
  });

  it('an undeliverable recipient: accepted, then a failed status carrying the error', async () => {
    graphApi.failRecipient('5511900000002', { code: 131026, via: 'status' });
    expect((await post('/v23.0/1/messages', textTo('5511900000002'))).status).toBe(200);
    await graphApi.statusesSettled();
    expect(statusesOf()).toEqual([
      expect.objectContaining({ status: 'failed', errors: [expect.objectContaining({ code: 131026 })] }),
    ]);
  });

  it("fails the next N sends with the code it was given, in Meta's error shape", async () => {
    graphApi.failNext({ code: 131047 }, 2);
    for (let i = 0; i < 2; i++) {
      const response = await post('/v23.0/1/messages', textTo('5511900000003'));
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatchObject({ code: 131047, message: expect.any(String) });
    }
    expect((await post('/v23.0/1/messages', textTo('5511900000003'))).status).toBe(200);
  });

  it('rate-limits with 130429 beyond the configured messages per second of a number', async () => {
    graphApi.rateLimit(3);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push((await post('/v23.0/1/messages', textTo(`55119000000${i}`))).status);
    expect(codes).toEqual([200, 200, 200, 400, 400]);
    now += 1000;
    expect((await post('/v23.0/1/messages', textTo('5511900000010'))).status).toBe(200);
  });

  it('refuses a wrong token with 190 and a malformed message with 100 naming the parameter', async () => {
    expect((await (await post('/v23.0/1/messages', textTo('1'), 'wrong')).json()).error.code).toBe(190);
    const tooLong = await post('/v23.0/1/messages', { ...textTo('1'), text: { body: 'x'.repeat(5000) } });
    const { error } = await tooLong.json();
    expect(error).toMatchObject({ code: 100, error_data: { details: expect.stringContaining('text.body') } });
  });

  it('serves media behind the token: info first, then the download URL', async () => {
    const id = graphApi.addMedia(Buffer.from('OggS-voice-note'), 'audio/ogg; codecs=opus');
    const info = await (
      await fetch(`${graphApi.url}/v23.0/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json();
    expect(info).toMatchObject({ mime_type: 'audio/ogg; codecs=opus', file_size: 15, id });
    expect((await fetch(info.url)).status).toBe(401);
    const download = await fetch(info.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await download.text()).toBe('OggS-voice-note');
  });

  it('can be steered from a shell while the demo runs', async () => {
    const queued = await fetch(`${graphApi.url}/_simulator/failures`, {
      method: 'POST',
      body: JSON.stringify({ code: 131026, recipient: '5511900000099' }),
    });
    expect(queued.status).toBe(200);
    const response = await post('/v23.0/1/messages', textTo('5511900000099'));
    expect((await response.json()).error.code).toBe(131026);
    const bad = await fetch(`${graphApi.url}/_simulator/failures`, { method: 'POST', body: '{"code":"x"}' });
    expect(bad.status).toBe(400);
  });
});
