import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-Hub-Signature-256` as Meta sends it: `sha256=` + hex HMAC-SHA256 of the raw body with the app secret. */
export function signWebhookBody(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

export function isValidWebhookSignature(
  body: Buffer,
  header: string | undefined,
  appSecret: string,
): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(signWebhookBody(body, appSecret));
  const received = Buffer.from(header);
  return expected.length === received.length && timingSafeEqual(expected, received);
}
