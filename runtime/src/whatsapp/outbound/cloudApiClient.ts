import {
  type CloudApiError,
  cloudApiErrorSchema,
  type MediaInfo,
  mediaInfoSchema,
} from '@switchboard/shared';

export interface CloudApiSettings {
  baseUrl: string;
  version: string;
  accessToken: string;
}

export type CloudApiReply<T> =
  | { ok: true; value: T }
  | { ok: false; httpStatus: number; error: CloudApiError };

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The few Graph API calls Switchboard makes, answering values in both cases: Meta's error shape
 * (`{ error: { code, message, error_data } }`) comes back as data for the caller to classify.
 * Network failures and timeouts throw: only the caller knows whether to retry.
 */
export function createCloudApiClient(settings: CloudApiSettings, fetchImpl: typeof fetch = fetch) {
  const authorization = `Bearer ${settings.accessToken}`;
  const graphUrl = (path: string) => `${settings.baseUrl}/${settings.version}/${path}`;

  async function call<T>(url: string, init: RequestInit, read: (body: unknown) => T | null) {
    const response = await fetchImpl(url, {
      ...init,
      headers: { authorization, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body: unknown = await response.json().catch(() => null);
    const value = response.ok ? read(body) : null;
    if (value !== null) return { ok: true, value } as const;
    return { ok: false, httpStatus: response.status, error: errorOf(response.status, body) } as const;
  }

  return {
    /** `POST /{version}/{phone-number-id}/messages`; the value is the `wamid` Meta assigned. */
    sendMessage(phoneNumberId: string, body: Record<string, unknown>): Promise<CloudApiReply<string>> {
      return call(
        graphUrl(`${phoneNumberId}/messages`),
        { method: 'POST', body: JSON.stringify(body) },
        (reply) => {
          const id = (reply as { messages?: { id?: unknown }[] } | null)?.messages?.[0]?.id;
          return typeof id === 'string' ? id : null;
        },
      );
    },

    /** Mark-as-read goes to the same endpoint and answers `{ success: true }`. */
    markRead(phoneNumberId: string, waMessageId: string): Promise<CloudApiReply<true>> {
      const body = { messaging_product: 'whatsapp', status: 'read', message_id: waMessageId };
      return call(
        graphUrl(`${phoneNumberId}/messages`),
        { method: 'POST', body: JSON.stringify(body) },
        (reply) => ((reply as { success?: unknown } | null)?.success === true ? true : null),
      );
    },

    /** `GET /{version}/{media-id}`: where to download it, its type and size. */
    mediaInfo(mediaId: string): Promise<CloudApiReply<MediaInfo>> {
      return call(graphUrl(encodeURIComponent(mediaId)), { method: 'GET' }, (reply) => {
        const parsed = mediaInfoSchema.safeParse(reply);
        return parsed.success ? parsed.data : null;
      });
    },

    /** The media URL needs the same bearer token; the caller streams the body on. */
    downloadMedia(url: string): Promise<Response> {
      return fetchImpl(url, { headers: { authorization }, signal: AbortSignal.timeout(60_000) });
    },
  };
}

export type CloudApiClient = ReturnType<typeof createCloudApiClient>;

/** Meta's error object, or one made up from the HTTP status when the body is not Meta's shape. */
export function errorOf(httpStatus: number, body: unknown): CloudApiError {
  const parsed = cloudApiErrorSchema.safeParse((body as { error?: unknown } | null)?.error);
  if (parsed.success) return parsed.data;
  return { code: httpStatus, message: `HTTP ${httpStatus} without a Cloud API error body` };
}
