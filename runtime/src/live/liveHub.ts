import type { SocketMessage } from '@switchboard/shared';

type Listener = (message: SocketMessage) => void;

/** Where effects send live updates: the hub itself, or (from a worker process) a pipe to it. */
export interface LivePublisher {
  publish(agentId: string, message: SocketMessage): void;
}

/**
 * Fans messages out to the sockets of one agent in this process. The worker runs in the same
 * process as the HTTP server; the page re-fetches after a reconnect, so nothing depends on a
 * push arriving.
 */
export class LiveHub implements LivePublisher {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(agentId: string, listener: Listener): () => void {
    let set = this.listeners.get(agentId);
    if (!set) {
      set = new Set();
      this.listeners.set(agentId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(agentId);
    };
  }

  publish(agentId: string, message: SocketMessage): void {
    for (const listener of this.listeners.get(agentId) ?? []) listener(message);
  }
}
