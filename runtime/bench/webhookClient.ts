import { Agent, request } from 'node:http';
import { DEMO_BUSINESS_NUMBER_ID } from '../src/demo/seedDemo';
import { inboundTextWebhook } from '../src/whatsapp/inboundPayloads';
import { signWebhookBody } from '../src/whatsapp/signature';

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
    return new Promise((resolve) => {
      const req = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-hub-signature-256': signWebhookBody(body, this.appSecret),
          },
        },
        (response) => {
          response.resume();
          response.once('end', () => resolve(response.statusCode ?? 0));
        },
      );
      req.once('error', (error) => {
        this.lastError = error.message;
        resolve(0);
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
