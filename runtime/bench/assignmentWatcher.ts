import type { SocketMessage } from '@switchboard/shared';
import WebSocket from 'ws';
import { benchAuthHeaders } from './benchRuntime';

/**
 * One agent-inbox socket per agent, noting when each customer's assignment is pushed. The first
 * push counts: a retried activity pushes the same assignment again.
 */
export class AssignmentWatcher {
  /** performance.now() of the first `assignment.created` per customer wa_id. */
  readonly arrivals = new Map<string, number>();
  duplicates = 0;
  /** Customers a scenario waits for whose assignment has not been pushed yet. */
  private readonly awaited = new Set<string>();
  private readonly sockets: WebSocket[] = [];

  static async open(baseUrl: string, agentIds: readonly string[]): Promise<AssignmentWatcher> {
    const watcher = new AssignmentWatcher();
    try {
      await Promise.all(agentIds.map((agentId) => watcher.connect(baseUrl, agentId)));
    } catch (error) {
      watcher.close();
      throw error;
    }
    return watcher;
  }

  /**
   * Starts waiting for these customers' assignments; `outstanding` counts those not pushed yet.
   * Kept as each push arrives: filtering the awaited list on every poll was, with routing seconds
   * behind, most of the load generator's CPU after its last post (`perf`: Map lookups).
   */
  await(waIds: readonly string[]): void {
    // One scenario waits at a time; one that timed out leaves nothing for the next to wait on.
    this.awaited.clear();
    for (const waId of waIds) if (!this.arrivals.has(waId)) this.awaited.add(waId);
  }

  get outstanding(): number {
    return this.awaited.size;
  }

  close(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  /** Resolves on the server's `hello`, so that no push can be sent before we listen. */
  private connect(baseUrl: string, agentId: string): Promise<void> {
    const url = new URL(`/ws?agentId=${encodeURIComponent(agentId)}`, baseUrl);
    url.protocol = 'ws:';
    const socket = new WebSocket(url, { headers: benchAuthHeaders() });
    this.sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.once('close', (code, reason) =>
        reject(new Error(`socket for ${agentId} closed: ${code} ${reason}`)),
      );
      socket.on('message', (data) => {
        // Timestamp before parsing: parsing is the client's cost, not the runtime's.
        const at = performance.now();
        // A frame's own type leads it (after its journal number). Only hellos and assignments are
        // decoded, and of an assignment only its customer is read: news batches are most of the
        // bytes, an assignment's explanation most of the rest, and reading them is load-generator
        // CPU taken from the product's two cores.
        const bytes = data as Buffer;
        const head = bytes.toString('latin1', 0, FRAME_HEAD_CHARS);
        if (head.includes('"type":"hello"')) {
          resolve();
          return;
        }
        if (!head.includes('"type":"assignment.created"')) return;
        const waId = customerOf(bytes.toString());
        if (this.arrivals.has(waId)) this.duplicates++;
        else {
          this.arrivals.set(waId, at);
          this.awaited.delete(waId);
        }
      });
    });
  }
}

/** Long enough for `{"seq":<number>,"type":"assignment.created"`. */
const FRAME_HEAD_CHARS = 64;
type AssignmentFrame = Extract<SocketMessage, { type: 'assignment.created' }>;
const CUSTOMER_KEY = '"customer":{"waId":"';

/** The customer's wa_id of an `assignment.created` frame, without parsing the rest of it. */
export function customerOf(text: string): string {
  const start = text.indexOf(CUSTOMER_KEY) + CUSTOMER_KEY.length;
  const end = text.indexOf('"', start);
  const waId = text.slice(start, end);
  // Not where the assignment view puts it, or escaped: read the frame the long way.
  if (start < CUSTOMER_KEY.length || waId.includes('\\')) {
    return (JSON.parse(text) as AssignmentFrame).assignment.customer.waId;
  }
  return waId;
}
