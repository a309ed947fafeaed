import type { GraphApiSimulator } from './graphApiSimulator';
import type { SimulatedFailure, SimulatorReply } from './simulatedErrors';

/** Shell controls for the demo: failures, rate limit, media and what was sent. */
export function simulatorControl(
  simulator: GraphApiSimulator,
  request: { method: string; path: string; contentType: string | undefined },
  raw: Buffer,
): SimulatorReply {
  const { method, path } = request;
  if (method === 'GET' && path === '/_simulator/sent') return { status: 200, body: simulator.sent };
  if (method !== 'POST') return { status: 404, body: { error: `no control ${method} ${path}` } };
  if (path === '/_simulator/media') {
    const id = simulator.addMedia(raw, request.contentType ?? 'application/octet-stream');
    return { status: 201, body: { id } };
  }
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(raw.toString('utf8') || '{}');
  } catch {
    return { status: 400, body: { error: 'the body must be JSON' } };
  }
  if (path === '/_simulator/rate-limit') {
    const perSecond = input.messagesPerSecond;
    if (perSecond !== null && (typeof perSecond !== 'number' || perSecond < 0)) {
      return { status: 400, body: { error: 'messagesPerSecond must be a number or null' } };
    }
    simulator.rateLimit(perSecond as number | null);
    return { status: 200, body: { messagesPerSecond: perSecond } };
  }
  if (path === '/_simulator/failures') {
    if (typeof input.code !== 'number')
      return { status: 400, body: { error: 'code must be a Cloud API error code' } };
    const failure: SimulatedFailure = {
      code: input.code,
      ...(typeof input.details === 'string' ? { details: input.details } : {}),
      ...(input.via === 'status' ? { via: 'status' as const } : {}),
    };
    if (typeof input.recipient === 'string') simulator.failRecipient(input.recipient, failure);
    else simulator.failNext(failure, typeof input.count === 'number' ? input.count : 1);
    return { status: 200, body: { queued: failure } };
  }
  return { status: 404, body: { error: `no control ${path}` } };
}
