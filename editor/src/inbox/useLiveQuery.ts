import type { SocketMessage } from '@switchboard/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, isAbort } from '../api';
import { onLiveMessage } from '../live/liveFeed';

/**
 * Data fetched from the API and fetched again whenever a live message says it changed (`affects`),
 * a few at a time: a burst of pushes costs one request, not one each.
 */
export function useLiveQuery<T>(
  load: (signal: AbortSignal) => Promise<T>,
  affects: (message: SocketMessage) => boolean,
): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const reload = useCallback(() => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    load(current.signal)
      .then((value) => {
        setData(value);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (!isAbort(caught)) setError(errorMessage(caught));
      });
  }, [load]);

  useEffect(() => {
    reload();
    const stop = onLiveMessage((message) => {
      if (message.type !== 'hello' && !affects(message)) return;
      clearTimeout(timer.current);
      timer.current = setTimeout(reload, 100);
    });
    return () => {
      stop();
      clearTimeout(timer.current);
      controller.current?.abort();
    };
  }, [reload, affects]);

  return { data, error, reload };
}
