import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonPoster } from '../../bench/jsonPoster';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Received {
  method: string;
  url: string;
  signature: string | undefined;
  body: string;
  connection: number;
}

/** A plain node:http server that records what came and answers with `answer`. */
async function server(answer: (request: Received, response: ServerResponse) => void) {
  const received: Received[] = [];
  let connections = 0;
  const http: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        signature: request.headers['x-hub-signature-256'] as string | undefined,
        body: Buffer.concat(chunks).toString('utf8'),
        connection: (request.socket as { benchId?: number }).benchId ?? -1,
      };
      received.push(entry);
      answer(entry, response);
    });
  });
  http.on('connection', (socket) => {
    (socket as { benchId?: number }).benchId = connections++;
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => http.close(() => resolve())));
  const { port } = http.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, connections: () => connections };
}

function poster(url: string, connections: number): JsonPoster {
  const client = new JsonPoster(url, connections);
  cleanups.push(() => client.close());
  return client;
}

describe("the benchmarks' keep-alive poster", () => {
  it('delivers each body whole with its headers, and resolves with each status, over its own connections', async () => {
    const target = await server((request, response) => {
      const status = request.body.includes('"bad"') ? 400 : 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ echoed: request.body.length }));
    });
    const client = poster(target.url, 4);
    const bodies = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify(i % 10 === 3 ? { bad: i } : { text: `ünïcödé ${i} 🚀`, i }),
    );
    const statuses = await Promise.all(
      bodies.map((body, i) =>
        client.post('/webhooks/whatsapp', body, { 'x-hub-signature-256': `sha256=${i}` }),
      ),
    );

    expect(statuses).toEqual(bodies.map((body) => (body.includes('"bad"') ? 400 : 200)));
    expect(target.received.map((r) => r.body).sort()).toEqual([...bodies].sort());
    const signatureOf = new Map(target.received.map((r) => [r.body, r.signature]));
    expect(bodies.map((body) => signatureOf.get(body))).toEqual(bodies.map((_, i) => `sha256=${i}`));
    expect(target.received.every((r) => r.method === 'POST' && r.url === '/webhooks/whatsapp')).toBe(true);
    // Kept alive: forty posts, four connections.
    expect(target.connections()).toBe(4);
  });

  it('opens its connections up front, reads chunked answers, and reconnects when the server closes', async () => {
    let answered = 0;
    const target = await server((request, response) => {
      answered++;
      if (request.method === 'GET') {
        response.end('challenge');
        return;
      }
      // Every third answer chunked (no length), every fifth closes the connection after it.
      if (answered % 5 === 0) response.setHeader('connection', 'close');
      if (answered % 3 === 0) {
        response.write('{"part":');
        response.end('1}');
      } else response.end('{}');
    });
    const client = poster(target.url, 2);
    await client.connect('/webhooks/whatsapp?hub.mode=subscribe');
    expect(target.received.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(target.connections()).toBe(2);

    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push(await client.post('/in', `{"n":${i}}`, {}));
    expect(statuses).toEqual(Array(20).fill(200));
    expect(target.received.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual(
      Array.from({ length: 20 }, (_, i) => `{"n":${i}}`),
    );
    // Closed by the server four times in those twenty answers (and the two GETs): reopened each time.
    expect(target.connections()).toBeGreaterThan(2);
    expect(client.lastError).toBeNull();
  });

  it('resolves 0 and keeps the error when nothing answers', async () => {
    const target = await server((_request, response) => response.end());
    const url = target.url;
    await cleanups.pop()?.();
    const client = poster(url, 2);
    expect(await client.post('/in', '{}', {})).toBe(0);
    expect(client.lastError).toMatch(/ECONNREFUSED/);
  });
});
