import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CustomerCliError, parseCustomerCliArgs } from '../../src/whatsapp/simulator/customerCliArgs';
import { WEBHOOK_TEST_SECRET, type WebhookTestApp, webhookTestApp } from '../support/webhookApp';

const RUNTIME_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

describe('customer CLI arguments', () => {
  it('reads each kind with its options', () => {
    expect(
      parseCustomerCliArgs(['text', '--from', '5511999990000', 'where', 'is', 'my', 'order?']).post,
    ).toEqual({
      from: '5511999990000',
      message: { kind: 'text', body: 'where is my order?' },
    });
    const location = parseCustomerCliArgs([
      'location',
      '--from',
      '5511999990000',
      '--lat=-23.5',
      '--lng=-46.6',
    ]);
    expect(location.post.message).toEqual({ kind: 'location', latitude: -23.5, longitude: -46.6 });
    const order = parseCustomerCliArgs([
      'order',
      '--from',
      '5511999990000',
      '--catalog',
      'CAT1',
      '--item',
      'SKU-1:2:10.5:BRL',
      '--item',
      'SKU-2:1:3:BRL',
    ]);
    expect(order.post.message).toMatchObject({
      kind: 'order',
      items: [{ quantity: 2, itemPrice: 10.5 }, {}],
    });
    const unreact = parseCustomerCliArgs(['reaction', '--from', '5511999990000', '--to', 'wamid.X']);
    expect(unreact.post.message).toEqual({ kind: 'reaction', messageId: 'wamid.X' });
  });

  it('explains what is wrong instead of sending something odd', () => {
    expect(() => parseCustomerCliArgs(['poll', '--from', '5511999990000'])).toThrow(/unknown kind "poll"/);
    expect(() => parseCustomerCliArgs(['button_reply', '--from', '5511999990000', '--id', 'x'])).toThrow(
      /message\.title/,
    );
    expect(() => parseCustomerCliArgs(['text', '--from', 'maria', 'hi'])).toThrow(/from: digits only/);
    expect(() => parseCustomerCliArgs(['text', '--frm', '1'])).toThrow(CustomerCliError);
  });
});

describe('customer CLI against a listening webhook', () => {
  let harness: WebhookTestApp;
  afterEach(() => harness.close());

  it('posts a signed button reply that is stored and routed', async () => {
    harness = await webhookTestApp(64 * 1024);
    const url = await harness.app.listen({ host: '127.0.0.1', port: 0 });
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/whatsapp/simulator/customerCli.ts',
        'button_reply',
        '--from',
        '5511933332222',
        '--id',
        'talk-to-sales',
        '--title',
        'Talk to sales',
        '--url',
        url,
        '--secret',
        WEBHOOK_TEST_SECRET,
      ],
      { cwd: RUNTIME_DIR },
    );
    const printed = JSON.parse(stdout);
    expect(printed).toMatchObject({ status: 200, reply: { messagesStored: 1 } });
    const row = harness.db.$client
      .prepare('SELECT type, text FROM messages WHERE wa_message_id = ?')
      .get(printed.messageId);
    expect(row).toEqual({ type: 'interactive', text: 'Talk to sales' });
  }, 30_000);
});
