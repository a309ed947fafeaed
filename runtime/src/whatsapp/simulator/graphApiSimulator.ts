import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { outboundMessageSchema } from '@switchboard/shared';
import { graphError, type SimulatedFailure, type SimulatorReply, statusError } from './simulatedErrors';
import { simulatorControl } from './simulatorControls';
import { type SimulatedStatus, StatusWebhookPoster, type StatusWebhookTarget } from './statusWebhooks';

export type { SimulatedFailure } from './simulatedErrors';

export interface SimulatedSend {
  phoneNumberId: string;
  version: string;
  body: Record<string, unknown>;
  messageId: string;
  /** The simulator's clock when the send was accepted. */
  at: number;
}

export interface GraphApiSimulatorOptions {
  /** Where status webhooks go, signed like Meta's; null: none are posted. */
  webhook?: StatusWebhookTarget | null;
  /** Statuses posted after each accepted send, in this order (tests reorder them). */
  statusSequence?: SimulatedStatus[];
  statusDelayMs?: number;
  clock?: () => number;
  port?: number;
}
interface StoredMedia {
  bytes: Buffer;
  mimeType: string;
  sha256: string;
}

/**
 * The Graph API on loopback, for the demo and the tests. It speaks Meta's format: `POST
 * /{version}/{phone-number-id}/messages` (sends and mark-as-read) answers message ids or errors in
 * Meta's shape, then posts signed status webhooks sent → delivered → read; `GET
 * /{version}/{media-id}` and the download URL it returns serve media behind the bearer token. It can
 * be told to fail (next N sends, or one recipient) and to rate-limit like a business number.
 * `/_simulator/…` lets a person do the same from a shell while the demo runs.
 */
export class GraphApiSimulator {
  readonly sent: SimulatedSend[] = [];
  readonly markedRead: string[] = [];
  /** Every POST to …/messages, accepted or not: retries show up here. */
  messageRequests = 0;
  /** Statuses posted after each accepted send, in this order; tests reorder them as Meta sometimes does. */
  statusSequence: SimulatedStatus[];
  private readonly failures: SimulatedFailure[] = [];
  private readonly recipientFailures = new Map<string, SimulatedFailure>();
  private readonly media = new Map<string, StoredMedia>();
  private readonly acceptedAt = new Map<string, number[]>();
  private messagesPerSecond: number | null = null;
  private readonly statuses: StatusWebhookPoster;
  private readonly clock: () => number;
  private server: Server | null = null;
  url = '';

  constructor(
    private readonly accessToken: string,
    private readonly options: GraphApiSimulatorOptions = {},
  ) {
    this.statuses = new StatusWebhookPoster(options.webhook ?? null);
    this.clock = options.clock ?? Date.now;
    this.statusSequence = options.statusSequence ?? ['sent', 'delivered', 'read'];
  }

  /** The next `count` sends fail with this error. */
  failNext(failure: SimulatedFailure, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  /** Every send to this customer fails with this error until cleared with null. */
  failRecipient(waId: string, failure: SimulatedFailure | null): void {
    if (failure) this.recipientFailures.set(waId, failure);
    else this.recipientFailures.delete(waId);
  }

  /** Answers 130429 to sends of one number beyond this many in any second; null lifts the limit. */
  rateLimit(messagesPerSecond: number | null): void {
    this.messagesPerSecond = messagesPerSecond;
  }

  setWebhook(target: StatusWebhookTarget | null): void {
    this.statuses.retarget(target);
  }

  /** Stores a file as if a customer had sent it; the id is what an inbound media message carries. */
  addMedia(bytes: Buffer, mimeType: string, id = String(Date.now() * 1000 + this.media.size)): string {
    this.media.set(id, { bytes, mimeType, sha256: createHash('sha256').update(bytes).digest('hex') });
    return id;
  }

  /** The status webhooks posted so far, with the runtime's answers. */
  get statusAnswers() {
    return this.statuses.answers;
  }

  /** Resolves once every status webhook scheduled so far has been posted. */
  statusesSettled(): Promise<void> {
    return this.statuses.settled();
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void this.handle(request)
        .catch((error: unknown) => ({ status: 500, body: { error: { message: String(error), code: 1 } } }))
        .then((reply) => send(response, reply));
    });
    await new Promise<void>((resolve) => this.server?.listen(this.options.port ?? 0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.statuses.settled();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage): Promise<SimulatorReply> {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/_simulator/')) {
      const control = { method: request.method ?? 'GET', path, contentType: request.headers['content-type'] };
      return simulatorControl(this, control, await readBody(request));
    }
    const authorized = request.headers.authorization === `Bearer ${this.accessToken}`;
    const download = /^\/media-download\/([^/]+)$/.exec(path);
    if (download && request.method === 'GET') {
      // Meta's media URLs answer 401 without the token, like every other call.
      if (!authorized) return graphError(190);
      const media = this.media.get(decodeURIComponent(download[1] as string));
      return media
        ? { status: 200, bytes: media.bytes, contentType: media.mimeType }
        : { status: 404, body: {} };
    }
    const messages = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(path);
    const node = /^\/(v\d+\.\d+)\/([^/]+)$/.exec(path);
    if (!authorized && (messages || node)) return graphError(190);
    if (messages && request.method === 'POST') {
      return this.messages(messages[1] as string, messages[2] as string, await readBody(request));
    }
    if (node && request.method === 'GET') return this.mediaInfo(decodeURIComponent(node[2] as string));
    return graphError(100, { httpStatus: 400, message: `Unknown path components: ${path}` });
  }

  private messages(version: string, phoneNumberId: string, raw: Buffer): SimulatorReply {
    this.messageRequests++;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return graphError(100, { details: 'the request body is not JSON' });
    }
    if (body.messaging_product !== 'whatsapp') {
      return graphError(100, {
        details: 'The parameter messaging_product is required and must be "whatsapp"',
      });
    }
    if (body.status === 'read') {
      if (typeof body.message_id !== 'string')
        return graphError(100, { details: 'The parameter message_id is required' });
      this.markedRead.push(body.message_id);
      return { status: 200, body: { success: true } };
    }
    if (typeof body.to !== 'string' || !body.to)
      return graphError(100, { details: 'The parameter to is required' });
    const { messaging_product, recipient_type, to, ...message } = body;
    const parsed = outboundMessageSchema.safeParse(message);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return graphError(100, {
        details: `Param ${issue?.path.join('.') || 'type'} is invalid: ${issue?.message}`,
      });
    }
    const failure = this.failures.shift() ?? this.recipientFailures.get(to);
    if (failure && failure.via !== 'status') return graphError(failure.code, failure);
    const now = this.clock();
    if (this.overRateLimit(phoneNumberId, now)) return graphError(130429);

    const messageId = `wamid.SIM${randomUUID().replaceAll('-', '').toUpperCase()}`;
    this.sent.push({ version, phoneNumberId, body, messageId, at: now });
    const sequence: SimulatedStatus[] = failure ? ['failed'] : this.statusSequence;
    this.statuses.schedule(
      sequence.map((status) => ({
        phoneNumberId,
        waMessageId: messageId,
        recipient: to,
        status,
        at: now,
        ...(failure ? { errors: [statusError(failure)] } : {}),
      })),
      this.options.statusDelayMs ?? 20,
    );
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: messageId }],
      },
    };
  }

  private overRateLimit(phoneNumberId: string, now: number): boolean {
    if (this.messagesPerSecond === null) return false;
    const recent = (this.acceptedAt.get(phoneNumberId) ?? []).filter((at) => at > now - 1000);
    if (recent.length >= this.messagesPerSecond) {
      this.acceptedAt.set(phoneNumberId, recent);
      return true;
    }
    recent.push(now);
    this.acceptedAt.set(phoneNumberId, recent);
    return false;
  }

  private mediaInfo(mediaId: string): SimulatorReply {
    const media = this.media.get(mediaId);
    if (!media) {
      return graphError(100, {
        message: `Unsupported get request. Object with ID '${mediaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      });
    }
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        url: `${this.url}/media-download/${encodeURIComponent(mediaId)}`,
        mime_type: media.mimeType,
        sha256: media.sha256,
        file_size: media.bytes.length,
        id: mediaId,
      },
    };
  }
}

function send(response: ServerResponse, reply: SimulatorReply): void {
  if ('bytes' in reply) {
    response.writeHead(reply.status, {
      'content-type': reply.contentType,
      'content-length': reply.bytes.length,
    });
    response.end(reply.bytes);
    return;
  }
  response.writeHead(reply.status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(reply.body));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
