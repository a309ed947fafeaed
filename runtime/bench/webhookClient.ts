import { DEMO_BUSINESS_NUMBER_ID } from '../src/demo/seedDemo';
import { inboundTextWebhook } from '../src/whatsapp/inboundPayloads';
import { signWebhookBody } from '../src/whatsapp/signature';
import { JsonPoster } from './jsonPoster';

const WEBHOOK_PATH = '/webhooks/whatsapp';

export interface SignedWebhook {
  body: string;
  signature: string;
}

/**
 * Posts signed inbound texts as Meta would, over keep-alive connections: Meta reuses its
 * connections, and a new TCP connection per webhook would measure the handshake, not the runtime.
 */
export class WebhookClient {
  private readonly poster: JsonPoster;

  constructor(
    baseUrl: string,
    private readonly appSecret: string,
    connections: number,
  ) {
    this.poster = new JsonPoster(baseUrl, connections);
  }

  /**
   * Opens every connection before the clock starts, with Meta's verification handshake (a read).
   * Opened on demand instead, an open loop's first fraction of a second sent hundreds of connects
   * at once to a runtime busy with the first webhooks: in a timeline at 2,000/s the webhooks sent
   * in the first 0.4 s reached the runtime 1.0–1.7 s late (the kernel's 1 s SYN retry), which was
   * that run's p99. Meta keeps its connections open; so does this client from then on.
   */
  openConnections(verifyToken: string): Promise<void> {
    const query = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.verify_token': verifyToken,
      'hub.challenge': 'bench',
    });
    return this.poster.connect(`${WEBHOOK_PATH}?${query}`);
  }

  /** The last transport error, for the report when some posts never got a status. */
  get lastError(): string | null {
    return this.poster.lastError;
  }

  /**
   * Customer `waId`'s first message, signed, as Meta would send it at `sentAtMs`. Built ahead of a
   * scenario's clock: composing and signing a body is Meta's work, not the product's, and the load
   * generator shares the product's two cores.
   */
  firstMessage(waId: string, sentAtMs = Date.now()): SignedWebhook {
    const body = JSON.stringify(
      inboundTextWebhook({
        phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
        from: waId,
        text: 'Hi, my order has not arrived yet',
        messageId: `wamid.BENCH${waId}`,
        timestamp: Math.floor(sentAtMs / 1000),
        profileName: `Bench ${waId}`,
      }),
    );
    return { body, signature: signWebhookBody(body, this.appSecret) };
  }

  /** Posts a webhook built by `firstMessage`; resolves with the HTTP status, 0 when none came back. */
  post(webhook: SignedWebhook): Promise<number> {
    return this.poster.post(WEBHOOK_PATH, webhook.body, { 'x-hub-signature-256': webhook.signature });
  }

  /** Sends customer `waId`'s first message now. */
  postFirstMessage(waId: string): Promise<number> {
    return this.post(this.firstMessage(waId));
  }

  close(): Promise<void> {
    return this.poster.close();
  }
}
