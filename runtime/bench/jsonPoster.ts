import { connect, type Socket } from 'node:net';

/**
 * POSTs JSON bodies to one origin over keep-alive HTTP/1.1 connections, one request at a time on
 * each (as Meta sends webhooks: no pipelining); each post resolves with the HTTP status, or 0 (never
 * rejects) when no response came, keeping the transport error in `lastError`. Benchmarks count
 * failures instead of stopping at the first one.
 *
 * Written on `node:net` rather than an HTTP client library: the load generator shares the machine's
 * two cores with what it measures, and a request here is one string written and a status line read.
 * undici's `Pool` (itself half the CPU of `http.request`) ran 1.8 s of JavaScript for the 20,000
 * webhooks of a `steady2000` profile of the routing benchmark (about 90 µs each): request objects,
 * header parsing and stream plumbing none of which a webhook needs.
 */
export class JsonPoster {
  /** The last transport error, for the report when some posts never got a status. */
  lastError: string | null = null;
  private readonly idle: Connection[] = [];
  private readonly all: Connection[] = [];
  private readonly waiting: WaitingRequest[] = [];
  private readonly hostHeader: string;

  constructor(origin: string | URL, connections: number) {
    const url = new URL(origin);
    if (url.protocol !== 'http:') throw new Error(`JsonPoster speaks plain HTTP, not ${url.protocol}`);
    const port = Number(url.port || 80);
    this.hostHeader = url.host;
    for (let i = 0; i < connections; i++) {
      const connection = new Connection(url.hostname, port, (error) => {
        this.lastError = error;
      });
      this.all.push(connection);
      this.idle.push(connection);
    }
  }

  post(path: string, body: string, headers: Record<string, string>): Promise<number> {
    let head = `POST ${path} HTTP/1.1\r\nhost: ${this.hostHeader}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    return new Promise((resolve) => {
      this.waiting.push({ text: `${head}\r\n${body}`, resolve });
      this.sendWaiting();
    });
  }

  /**
   * Opens every connection by sending a GET of `path` on each at once (their statuses are not
   * looked at), so that a scenario's clock starts with them open.
   */
  async connect(path: string): Promise<void> {
    const text = `GET ${path} HTTP/1.1\r\nhost: ${this.hostHeader}\r\n\r\n`;
    await Promise.all(this.all.map((connection) => connection.request(text)));
  }

  async close(): Promise<void> {
    for (const connection of this.all) connection.destroy();
    for (const request of this.waiting.splice(0)) request.resolve(0);
  }

  private sendWaiting(): void {
    while (this.waiting.length > 0 && this.idle.length > 0) {
      const connection = this.idle.pop() as Connection;
      const request = this.waiting.shift() as WaitingRequest;
      void connection.request(request.text).then((status) => {
        this.idle.push(connection);
        request.resolve(status);
        this.sendWaiting();
      });
    }
  }
}

/** A request whole as it goes on the wire, waiting for a free connection. */
interface WaitingRequest {
  text: string;
  resolve: (status: number) => void;
}

/** One keep-alive connection, opened on first use and again after the server closed it. */
class Connection {
  private socket: Socket | null = null;
  /** Bytes of the response so far, one character per byte. */
  private received = '';
  private answer: ((status: number) => void) | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly onError: (error: string) => void,
  ) {}

  /** Sends a whole request; resolves with the response's status, or 0 when none came. */
  request(text: string): Promise<number> {
    return new Promise((resolve) => {
      this.answer = resolve;
      (this.socket ?? this.open()).write(text);
    });
  }

  destroy(): void {
    this.socket?.destroy();
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk) => {
      this.received += chunk.toString('latin1');
      this.readResponse();
    });
    socket.on('error', (error) => this.onError(error.message));
    socket.on('close', () => {
      // A socket this connection already let go of (the server asked to close it) ends nothing.
      if (this.socket !== socket) return;
      this.socket = null;
      this.received = '';
      this.settle(0);
    });
    this.socket = socket;
    return socket;
  }

  /** Settles the request once its whole response is in: headers and a Content-Length or chunked body. */
  private readResponse(): void {
    const text = this.received;
    const headerEnd = text.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const headers = text.slice(0, headerEnd).toLowerCase();
    const bodyStart = headerEnd + 4;
    let end: number;
    const length = /\r\ncontent-length: *(\d+)/.exec(headers);
    if (length) {
      end = bodyStart + Number(length[1]);
      if (text.length < end) return;
    } else if (headers.includes('\r\ntransfer-encoding: chunked')) {
      const last = text.indexOf('\r\n0\r\n\r\n', bodyStart - 2);
      if (last < 0) return;
      end = last + 7;
    } else {
      end = bodyStart;
    }
    this.received = text.slice(end);
    const status = Number(text.slice(9, 12));
    if (headers.includes('\r\nconnection: close')) {
      this.socket?.end();
      this.socket = null;
      this.received = '';
    }
    this.settle(Number.isInteger(status) ? status : 0);
  }

  private settle(status: number): void {
    const answer = this.answer;
    this.answer = null;
    answer?.(status);
  }
}
