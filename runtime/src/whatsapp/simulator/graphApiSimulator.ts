import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimulatedSend {
  phoneNumberId: string;
  version: string;
  body: Record<string, unknown>;
  messageId: string;
}

/** A Cloud API error the simulator answers with, in Meta's error shape. */
export interface SimulatedFailure {
  code: number;
  httpStatus: number;
  message: string;
}

/**
 * The Graph API's send endpoint on loopback, for the demo and the tests: `POST
 * /{version}/{phone-number-id}/messages` with a bearer token answers like Meta (message ids, or an
 * error in Meta's shape). It can be told to fail the next sends with a given error code.
 */
export class GraphApiSimulator {
  readonly sent: SimulatedSend[] = [];
  private failures: SimulatedFailure[] = [];
  private server: Server | null = null;

  constructor(private readonly accessToken: string) {}

  /** The next `count` sends fail with this error. */
  failNext(failure: SimulatedFailure, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void this.handle(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const match = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(request.url ?? '');
    if (request.method !== 'POST' || !match) return graphError(404, 100, 'Unknown path components');
    if (request.headers.authorization !== `Bearer ${this.accessToken}`) {
      return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(request));
    } catch {
      return graphError(400, 100, 'Invalid parameter');
    }
    if (
      body.messaging_product !== 'whatsapp' ||
      typeof body.to !== 'string' ||
      typeof body.type !== 'string'
    ) {
      return graphError(400, 100, 'Invalid parameter');
    }
    const failure = this.failures.shift();
    if (failure) return graphError(failure.httpStatus, failure.code, failure.message);
    const messageId = `wamid.SIM${randomUUID().replaceAll('-', '').toUpperCase()}`;
    this.sent.push({ version: match[1] as string, phoneNumberId: match[2] as string, body, messageId });
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: messageId }],
      },
    };
  }
}

function graphError(status: number, code: number, message: string) {
  return { status, body: { error: { message, type: 'OAuthException', code, fbtrace_id: randomUUID() } } };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    request.on('data', (chunk) => {
      data += chunk;
    });
    request.on('end', () => resolve(data));
    request.on('error', reject);
  });
}
