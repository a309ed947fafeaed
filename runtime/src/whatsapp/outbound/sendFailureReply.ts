import { errorBody } from '../../api/httpError';
import type { SendFailure } from './cloudApiErrors';

/** HTTP status and stable code for each way a send can fail, so the inbox can act on it. */
const REPLY_OF: Record<SendFailure['kind'], { status: number; code: string }> = {
  unknown_conversation: { status: 404, code: 'conversation_not_found' },
  outside_window: { status: 422, code: 'outside_customer_service_window' },
  not_configured: { status: 503, code: 'whatsapp_not_configured' },
  paced: { status: 429, code: 'paced' },
  rate_limited: { status: 429, code: 'whatsapp_rate_limited' },
  token: { status: 502, code: 'whatsapp_token_rejected' },
  invalid_parameter: { status: 422, code: 'whatsapp_invalid_parameter' },
  undeliverable: { status: 422, code: 'whatsapp_undeliverable' },
  unavailable: { status: 503, code: 'whatsapp_unavailable' },
  rejected: { status: 422, code: 'whatsapp_rejected' },
};

export function sendFailureReply(failure: SendFailure, field?: string) {
  const { status, code } = REPLY_OF[failure.kind];
  const named = failure.parameter ?? field;
  return {
    status,
    body: {
      ...errorBody(code, failure.message, named ?? undefined),
      ...(failure.code === null ? {} : { cloudApiCode: failure.code }),
      ...(failure.retryAfterMs === null ? {} : { retryAfterMs: failure.retryAfterMs }),
    },
  };
}
