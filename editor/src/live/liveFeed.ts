import type { SocketMessage } from '@switchboard/shared';
import { create } from 'zustand';
import { parseSocketMessage, reconnectDelay, type SocketStatus } from '../inbox/useAgentSocket';

type Listener = (message: SocketMessage) => void;

type LiveFeedState = { status: SocketStatus; lastSeq: number };

/** Socket status and the newest message number seen, for components that show them. */
export const useLiveFeed = create<LiveFeedState>()(() => ({ status: 'connecting', lastSeq: 0 }));

const listeners = new Set<Listener>();

/** Every live message for the signed-in person, replayed ones included, in order. */
export function onLiveMessage(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const ACTIVITY_EVERY_MS = 30_000;

/**
 * One socket per tab for the signed-in person. It remembers the last `seq` it saw and reconnects
 * with `?since=`, so the runtime replays whatever was pushed while it was away: nothing is missed.
 * Typing, clicking or scrolling tells the runtime the person is active (no automatic "away").
 */
export function startLiveFeed(since: number | null): () => void {
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let disposed = false;
  let lastActivitySent = 0;
  // From the session check: pushes between loading the page's data and the first socket are replayed too.
  let lastSeq: number | null = since;

  const connect = () => {
    retryTimer = undefined;
    useLiveFeed.setState({ status: 'connecting' });
    const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const since = lastSeq === null ? '' : `?since=${lastSeq}`;
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${protocol}//${window.location.host}/ws${since}`);
    } catch {
      // The constructor throws for URLs the browser refuses outright; that is one more failed attempt.
      useLiveFeed.setState({ status: 'disconnected' });
      retryTimer = setTimeout(connect, reconnectDelay(attempt));
      attempt += 1;
      return;
    }
    socket = ws;
    // Browser tests close it to prove that a reconnect replays what was missed.
    (window as unknown as { __switchboardSocket?: WebSocket }).__switchboardSocket = ws;
    ws.onopen = () => useLiveFeed.setState({ status: 'connected' });
    ws.onmessage = (event: MessageEvent) => {
      const message = parseSocketMessage(event.data);
      if (message === null) return;
      if (message.type === 'hello') {
        attempt = 0;
        // A first connection starts from now; later ones asked for what they missed.
        if (lastSeq === null) lastSeq = message.lastSeq ?? 0;
      } else if (message.seq !== undefined) {
        if (lastSeq !== null && message.seq <= lastSeq) return;
        lastSeq = message.seq;
        useLiveFeed.setState({ lastSeq: message.seq });
      }
      for (const listener of listeners) listener(message);
    };
    ws.onclose = () => {
      if (disposed) return;
      socket = null;
      useLiveFeed.setState({ status: 'disconnected' });
      retryTimer = setTimeout(connect, reconnectDelay(attempt));
      attempt += 1;
    };
  };

  const onActivity = () => {
    const now = Date.now();
    if (now - lastActivitySent < ACTIVITY_EVERY_MS || socket?.readyState !== WebSocket.OPEN) return;
    lastActivitySent = now;
    socket.send(JSON.stringify({ type: 'activity' }));
  };
  const onOnline = () => {
    if (retryTimer === undefined) return;
    clearTimeout(retryTimer);
    connect();
  };

  connect();
  for (const name of ['keydown', 'pointerdown', 'scroll'] as const) window.addEventListener(name, onActivity);
  window.addEventListener('online', onOnline);
  return () => {
    disposed = true;
    for (const name of ['keydown', 'pointerdown', 'scroll'] as const)
      window.removeEventListener(name, onActivity);
    window.removeEventListener('online', onOnline);
    clearTimeout(retryTimer);
    socket?.close();
  };
}
