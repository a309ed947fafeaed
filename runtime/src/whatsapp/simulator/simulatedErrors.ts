import { randomUUID } from 'node:crypto';

/** A Cloud API error the simulator answers with, in Meta's error shape. */
export interface SimulatedFailure {
  code: number;
  httpStatus?: number;
  message?: string;
  /** Goes into `error_data.details` (code 100 names the parameter there). */
  details?: string;
  /**
   * reply: the send itself is refused; status: Meta accepts it (a message id) and a `failed`
   * status webhook carries the error later, as it does for undeliverable messages.
   */
  via?: 'reply' | 'status';
}

export type SimulatorReply =
  | { status: number; body: unknown }
  | { status: number; bytes: Buffer; contentType: string };

/** Meta's wording for the codes the simulator is usually told to answer with. */
const KNOWN_ERRORS: Record<number, { httpStatus: number; message: string; title: string }> = {
  100: { httpStatus: 400, message: '(#100) Invalid parameter', title: 'Invalid parameter' },
  190: {
    httpStatus: 401,
    message: 'Invalid OAuth access token - Cannot parse access token',
    title: 'Invalid token',
  },
  130429: { httpStatus: 400, message: '(#130429) Rate limit hit', title: 'Rate limit hit' },
  131026: { httpStatus: 400, message: '(#131026) Message undeliverable', title: 'Message undeliverable' },
  131047: { httpStatus: 400, message: '(#131047) Re-engagement message', title: 'Re-engagement message' },
  131056: {
    httpStatus: 400,
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    title: 'Pair rate limit hit',
  },
};

/** A Graph API error reply: Meta's `{ error: { message, type, code, error_data, fbtrace_id } }`. */
export function graphError(code: number, override: Partial<SimulatedFailure> = {}): SimulatorReply {
  const known = KNOWN_ERRORS[code];
  return {
    status: override.httpStatus ?? known?.httpStatus ?? 400,
    body: {
      error: {
        message: override.message ?? known?.message ?? `(#${code}) simulated error`,
        type: code === 190 ? 'OAuthException' : 'GraphMethodException',
        code,
        ...(override.details
          ? { error_data: { messaging_product: 'whatsapp', details: override.details } }
          : {}),
        fbtrace_id: `SIM${randomUUID().slice(0, 8)}`,
      },
    },
  };
}

/** The `errors` entry of a `failed` status webhook, which carries a title where replies do not. */
export function statusError(failure: SimulatedFailure) {
  const known = KNOWN_ERRORS[failure.code];
  const message = failure.message ?? known?.title ?? 'simulated failure';
  return {
    code: failure.code,
    title: known?.title ?? message,
    message,
    ...(failure.details ? { error_data: { details: failure.details } } : {}),
  };
}
