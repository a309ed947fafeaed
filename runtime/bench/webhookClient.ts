import { Agent } from 'node:http';
import { DEMO_BUSINESS_NUMBER_ID } from '../src/demo/seedDemo';
import { inboundTextWebhook } from '../src/whatsapp/inboundPayloads';
import { signWebhookBody } from '../src/whatsapp/signature';
import { postForStatus } from './postForStatus';

/**
 * Posts signed inbound texts as Meta would, over keep-alive connections: Meta reuses its
 * connections, and a new TCP connection per webhook would measure the handshake, not the runtime.
 */
export class WebhookClient {
  private readonly agent: Agent;
  private readonly url: URL;
  /** The last transport error, for the report when some posts never got a status. */
  lastError: string | null = null;

  constructor(
    baseUrl: string,
    private readonly appSecret: string,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
    this.url = new URL('/webhooks/whatsapp', baseUrl);
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
    return postForStatus(
      this.url,
      this.agent,
      body,
      { 'x-hub-signature-256': signWebhookBody(body, this.appSecret) },
      (message) => {
        this.lastError = message;
      },
    );
  }

  close(): void {
    this.agent.destroy();
  }
}
