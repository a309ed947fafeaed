import { DEMO_BUSINESS_NUMBER_ID } from '../src/demo/seedDemo';
import { inboundTextWebhook } from '../src/whatsapp/inboundPayloads';
import { signWebhookBody } from '../src/whatsapp/signature';
import { JsonPoster } from './postForStatus';

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
