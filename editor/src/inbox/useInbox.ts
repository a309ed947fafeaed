import type { Assignment, SocketMessage } from '@switchboard/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, fetchAssignments, isAbort } from '../api';
import { mergeAssignments } from './mergeAssignments';
import { type SocketStatus, useAgentSocket } from './useAgentSocket';

export type Inbox = {
  assignments: Assignment[];
  loading: boolean;
  error: string | null;
  socketStatus: SocketStatus;
};

/** The agent's assignments: fetched once, kept live over the socket, re-fetched after each reconnect. */
export function useInbox(agentId: string): Inbox {
  const [assignments, setAssignments] = useState<Assignment[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef<AbortController | null>(null);

  const resync = useCallback(async () => {
    // A newer fetch supersedes an older one; letting both land could apply a stale list last.
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    try {
      const fresh = await fetchAssignments(agentId, controller.signal);
      // Merge rather than replace: a pushed assignment may be newer than this response.
      setAssignments((current) => mergeAssignments(current, fresh));
      setError(null);
    } catch (caught) {
      if (isAbort(caught)) return;
      setError(errorMessage(caught));
    } finally {
      if (inFlight.current === controller) {
        inFlight.current = null;
        setLoading(false);
      }
    }
  }, [agentId]);

  // Fetch without waiting for the socket, so the list shows even when websockets are blocked.
  useEffect(() => {
    void resync();
    return () => inFlight.current?.abort();
  }, [resync]);

  const onMessage = useCallback(
    (message: SocketMessage) => {
      switch (message.type) {
        case 'hello':
          void resync();
          break;
        case 'assignment.created':
          setAssignments((current) => mergeAssignments(current, [message.assignment]));
          break;
        case 'notification':
          // Notifications get their own panel with the inbox work (unread count, list).
          break;
      }
    },
    [resync],
  );

  const socketStatus = useAgentSocket(agentId, onMessage);
  return { assignments, loading, error, socketStatus };
}
