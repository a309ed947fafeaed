import type { CloudApiError } from '@switchboard/shared';

/** What a refused or failed send means for whoever asked for it. */
export type SendFailureKind =
  | 'unknown_conversation'
  | 'outside_window'
  | 'not_configured'
  | 'paced'
  | 'undeliverable'
  | 'rate_limited'
  | 'token'
  | 'invalid_parameter'
  | 'unavailable'
  | 'rejected';

export interface SendFailure {
  kind: SendFailureKind;
  /** Meta's error code when Meta answered; null when Switchboard refused on its own. */
  code: number | null;
  message: string;
  /** invalid_parameter: the parameter Meta named in `error_data.details`. */
  parameter: string | null;
  /** paced, rate_limited: when trying again makes sense. */
  retryAfterMs: number | null;
}

/**
 * backoff: wait a little and send again (rate limits); later: a transient outage, retried by
 * whoever owns the request (Temporal for workflows); never: retrying cannot help.
 */
export type RetryAdvice = 'backoff' | 'later' | 'never';

/** Meta's codes (developers.facebook.com, WhatsApp Cloud API error codes) mapped to outcomes. */
export function classifyCloudApiError(
  httpStatus: number,
  error: CloudApiError,
): { failure: SendFailure; retry: RetryAdvice } {
  const details = error.error_data?.details;
  const said = [error.message, details].filter(Boolean).join(' — ');
  const failure = (kind: SendFailureKind, message: string, parameter: string | null = null): SendFailure => ({
    kind,
    code: error.code,
    message,
    parameter,
    retryAfterMs: null,
  });
  switch (error.code) {
    case 131047:
      return {
        failure: failure(
          'outside_window',
          `Meta refused a free-form message outside the 24-hour customer-service window (131047): send an approved template instead`,
        ),
        retry: 'never',
      };
    case 131026:
      return {
        failure: failure(
          'undeliverable',
          `the message cannot be delivered to this customer (131026: not on WhatsApp, an old app version, or they blocked the number)`,
        ),
        retry: 'never',
      };
    case 130429:
    case 131056:
    case 4:
    case 80007:
      return {
        failure: failure(
          'rate_limited',
          error.code === 131056
            ? 'too many messages to this customer in a short time (131056, pair rate limit)'
            : `the business number's rate limit was hit (${error.code})`,
        ),
        retry: 'backoff',
      };
    case 190:
      return {
        failure: failure(
          'token',
          `Meta rejected the access token (190: ${error.message ?? 'invalid OAuth access token'}): check WHATSAPP_ACCESS_TOKEN`,
        ),
        retry: 'never',
      };
    case 100: {
      const parameter = parameterNamedIn(details ?? error.message ?? '');
      return {
        failure: failure(
          'invalid_parameter',
          `Meta rejected a parameter${parameter ? ` "${parameter}"` : ''} (100): ${said || 'invalid parameter'}`,
          parameter,
        ),
        retry: 'never',
      };
    }
  }
  if (httpStatus >= 500 || error.code === 1 || error.code === 2 || error.code === 131000) {
    return {
      failure: failure('unavailable', `the Cloud API is unavailable (${error.code}): ${said}`),
      retry: 'later',
    };
  }
  if (httpStatus === 401) return classifyCloudApiError(httpStatus, { ...error, code: 190 });
  return {
    failure: failure('rejected', `Meta refused the message (${error.code}): ${said}`),
    retry: 'never',
  };
}

const NOT_A_PARAMETER = new Set(['value', 'is', 'not', 'was', 'must', 'in']);

/**
 * Meta names the parameter inside free text, e.g. "Param text['body'] must be at most 4096
 * characters long" or "The parameter to is required"; the dotted path is what a form can point at.
 */
export function parameterNamedIn(details: string): string | null {
  const match = /\bparam(?:eter)?\s+([A-Za-z_][\w.]*(?:\[[^\]]+\])*(?:\.[\w]+)*)/i.exec(details);
  if (!match?.[1] || NOT_A_PARAMETER.has(match[1].toLowerCase())) return null;
  return match[1].replace(/\[['"]?([^'"\]]+)['"]?\]/g, '.$1');
}
