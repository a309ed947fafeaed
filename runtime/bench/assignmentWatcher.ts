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

  /** Those of `waIds` whose assignment has not been pushed yet. */
  notArrived(waIds: readonly string[]): readonly string[] {
    return waIds.filter((waId) => !this.arrivals.has(waId));
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
        const text = String(data);
        // Only hellos and assignments are read: news batches are most of the bytes, and parsing
        // them is load-generator CPU taken from the product's two cores.
        if (!text.includes('"type":"assignment.created"') && !text.includes('"type":"hello"')) return;
        const message = JSON.parse(text) as SocketMessage;
        if (message.type === 'hello') resolve();
        if (message.type !== 'assignment.created') return;
        const waId = message.assignment.customer.waId;
        if (this.arrivals.has(waId)) this.duplicates++;
        else this.arrivals.set(waId, at);
      });
    });
  }
}
