import { type SocketMessage, socketMessageSchema } from '@switchboard/shared';
import { useEffect, useRef, useState } from 'react';

export type SocketStatus = 'connecting' | 'connected' | 'disconnected';

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;

/** Exponential backoff with jitter, so a restarted runtime is not hit by every tab in the same instant. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export function agentSocketUrl(agentId: string, location: Location = window.location): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}/ws?agentId=${encodeURIComponent(agentId)}`;
}

export function parseSocketMessage(data: unknown): SocketMessage | null {
  if (typeof data !== 'string') return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const result = socketMessageSchema.safeParse(json);
  return result.success ? result.data : null;
}

/**
 * Keeps one websocket open for the agent, reconnecting with backoff until unmounted. Every parsed
 * message goes to `onMessage`; a `hello` marks a (re)connection that callers should resync after,
 * since anything pushed while the socket was down is lost.
 */
export function useAgentSocket(agentId: string, onMessage: (message: SocketMessage) => void): SocketStatus {
  const [status, setStatus] = useState<SocketStatus>('connecting');
  // A ref so a new callback identity does not tear down a healthy connection.
  const onMessageRef = useRef(onMessage);
  useEffect(() => {
    onMessageRef.current = onMessage;
  });

  useEffect(() => {
    let socket: WebSocket | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let disposed = false;

    const connect = () => {
      retryTimer = undefined;
      setStatus('connecting');
      const ws = new WebSocket(agentSocketUrl(agentId));
      socket = ws;
      ws.onopen = () => setStatus('connected');
      ws.onmessage = (event: MessageEvent) => {
        const message = parseSocketMessage(event.data);
        if (message === null) {
          console.warn('Ignoring unrecognised socket message', event.data);
          return;
        }
        // Reset only once the server has greeted us: a socket that opens and is closed straight away
        // (say, for an unknown agent) should keep backing off rather than hammer the server.
        if (message.type === 'hello') attempt = 0;
        onMessageRef.current(message);
      };
      // An error is always followed by close, which owns the retry.
      ws.onclose = () => {
        if (disposed) return;
        socket = null;
        setStatus('disconnected');
        retryTimer = setTimeout(connect, reconnectDelay(attempt));
        attempt += 1;
      };
    };

    // Coming back online is a better moment to retry than whatever the backoff timer says.
    const onOnline = () => {
      if (retryTimer === undefined) return;
      clearTimeout(retryTimer);
      connect();
    };

    connect();
    window.addEventListener('online', onOnline);
    return () => {
      disposed = true;
      window.removeEventListener('online', onOnline);
      clearTimeout(retryTimer);
      socket?.close();
    };
  }, [agentId]);

  return status;
}
