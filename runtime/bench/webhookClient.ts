import { DEMO_BUSINESS_NUMBER_ID } from '../src/demo/seedDemo';
import { inboundTextWebhook } from '../src/whatsapp/inboundPayloads';
import { signWebhookBody } from '../src/whatsapp/signature';
import { JsonPoster } from './jsonPoster';

const WEBHOOK_PATH = '/webhooks/whatsapp';

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

  /** Sends customer `waId`'s first message; resolves with the HTTP status, 0 when none came back. */
  postFirstMessage(waId: string): Promise<number> {
    const body = JSON.stringify(
      inboundTextWebhook({
        phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
        from: waId,
        text: 'Hi, my order has not arrived yet',
        messageId: `wamid.BENCH${waId}`,
        timestamp: Math.floor(Date.now() / 1000),
        profileName: `Bench ${waId}`,
      }),
    );
    return this.poster.post(WEBHOOK_PATH, body, {
      'x-hub-signature-256': signWebhookBody(body, this.appSecret),
    });
  }

  close(): Promise<void> {
    return this.poster.close();
  }
}
