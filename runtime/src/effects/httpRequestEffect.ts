import type { Effect, EffectResult } from '@switchboard/shared';

type HttpRequestEffect = Extract<Effect, { type: 'httpRequest' }>;

/**
 * Calls the configured URL with a timeout, retrying network errors and 5xx/429 with backoff.
 * The effect key goes out as `Idempotency-Key`: Temporal may run this twice after a crash, and
 * a CRM that honours the header will not act twice.
 */
export async function performHttpRequest(effect: HttpRequestEffect): Promise<EffectResult> {
  let lastStatus = 0;
  for (let attempt = 0; attempt <= effect.retries; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** attempt, 5000)));
    try {
      const response = await fetch(effect.url, {
        method: effect.method,
        headers: { 'content-type': 'application/json', ...effect.headers, 'idempotency-key': effect.key },
        body: effect.method === 'GET' || effect.method === 'DELETE' ? undefined : (effect.body ?? undefined),
        signal: AbortSignal.timeout(effect.timeoutMs),
      });
      lastStatus = response.status;
      await response.arrayBuffer();
      if (response.ok) return { type: 'httpRequest', status: response.status, ok: true };
      if (response.status < 500 && response.status !== 429) break;
    } catch {
      lastStatus = 0; // timeout or connection refused: retried like a 5xx
    }
  }
  return { type: 'httpRequest', status: lastStatus, ok: false };
}
