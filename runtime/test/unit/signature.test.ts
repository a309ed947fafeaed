import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isValidWebhookSignature, signWebhookBody } from '../../src/whatsapp/signature';

const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

describe('X-Hub-Signature-256', () => {
  it('is "sha256=" + the hex HMAC-SHA256 of the raw body with the app secret', () => {
    const reference = createHmac('sha256', 'secret').update(body).digest('hex');
    expect(signWebhookBody(body, 'secret')).toBe(`sha256=${reference}`);
    expect(isValidWebhookSignature(body, `sha256=${reference}`, 'secret')).toBe(true);
  });

  it('rejects another secret, a changed body, a missing prefix and a missing header', () => {
    const good = signWebhookBody(body, 'secret');
    expect(isValidWebhookSignature(body, signWebhookBody(body, 'other'), 'secret')).toBe(false);
    expect(isValidWebhookSignature(Buffer.from(`${body} `), good, 'secret')).toBe(false);
    expect(isValidWebhookSignature(body, good.replace('sha256=', ''), 'secret')).toBe(false);
    expect(isValidWebhookSignature(body, undefined, 'secret')).toBe(false);
    expect(isValidWebhookSignature(body, 'sha256=abc', 'secret')).toBe(false);
  });
});
