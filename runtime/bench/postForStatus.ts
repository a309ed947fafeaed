import { type Agent, request } from 'node:http';

/**
 * POSTs a JSON body over a keep-alive agent; resolves with the HTTP status, or 0 (never rejects)
 * when no response came, reporting the transport error to `onError`. Benchmarks count failures
 * instead of stopping at the first one.
 */
export function postForStatus(
  url: URL,
  agent: Agent,
  body: string,
  headers: Record<string, string>,
  onError: (message: string) => void,
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      },
    );
    req.once('error', (error) => {
      onError(error.message);
      resolve(0);
    });
    req.end(body);
  });
}
