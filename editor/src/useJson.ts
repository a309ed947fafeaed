import { useCallback, useEffect, useState } from 'react';
import { errorMessage, getJson, isAbort } from './api';

export type Fetched<T> = { data: T | null; error: string | null; loading: boolean; reload: () => void };

/**
 * GETs `path` while the component shows it, and again on `reload`; a newer path aborts the older
 * request so a slow answer never overwrites a newer one. Null `path` fetches nothing.
 */
export function useJson<T>(path: string | null): Fetched<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({
    data: null,
    error: null,
    loading: path !== null,
  });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is how reload asks for a refetch
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    getJson<T>(path, controller.signal)
      .then((data) => setState({ data, error: null, loading: false }))
      .catch((error: unknown) => {
        if (!isAbort(error))
          setState((previous) => ({ ...previous, error: errorMessage(error), loading: false }));
      });
    return () => controller.abort();
  }, [path, generation]);

  return { ...state, reload };
}
