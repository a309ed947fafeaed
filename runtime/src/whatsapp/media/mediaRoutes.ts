import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { FastifyPluginAsync } from 'fastify';
import { errorBody, HttpError } from '../../api/httpError';
import type { CloudApiClient } from '../outbound/cloudApiClient';

export interface MediaRoutesOptions {
  api: CloudApiClient;
  /** False when WHATSAPP_ACCESS_TOKEN is empty: every fetch would fail with 190. */
  configured: boolean;
}

/**
 * `GET /api/media/:mediaId`: the Graph API's two steps on behalf of the inbox — the media's URL and
 * type from `GET /{version}/{media-id}`, then the bytes from that URL with the same bearer token —
 * streamed on without buffering. The token never reaches the browser.
 */
export const mediaRoutes: FastifyPluginAsync<MediaRoutesOptions> = async (app, options) => {
  app.get<{ Params: { mediaId: string } }>(
    '/api/media/:mediaId',
    {
      schema: {
        params: {
          type: 'object',
          // Meta's media ids are digits; anything else cannot be one and must not reach the URL path.
          properties: { mediaId: { type: 'string', pattern: '^[0-9A-Za-z_.-]{1,128}$' } },
          required: ['mediaId'],
        },
      },
    },
    async (request, reply) => {
      const { mediaId } = request.params;
      if (!options.configured) {
        throw new HttpError(
          503,
          'whatsapp_not_configured',
          'media cannot be fetched: WHATSAPP_ACCESS_TOKEN is empty',
        );
      }
      const info = await options.api.mediaInfo(mediaId).catch((error: Error) => {
        throw new HttpError(
          502,
          'whatsapp_unreachable',
          `the Graph API could not be reached: ${error.message}`,
        );
      });
      if (!info.ok) {
        const { code, message } = info.error;
        if (code === 190 || info.httpStatus === 401) {
          throw new HttpError(
            502,
            'whatsapp_token_rejected',
            `Meta rejected the access token (190): check WHATSAPP_ACCESS_TOKEN`,
          );
        }
        if (code === 100 || info.httpStatus === 404) {
          throw new HttpError(
            404,
            'media_not_found',
            `no media "${mediaId}" (${code}: ${message ?? 'unknown id'})`,
            'mediaId',
          );
        }
        throw new HttpError(502, 'whatsapp_media_error', `Meta answered ${code}: ${message ?? 'no message'}`);
      }
      const download = await options.api.downloadMedia(info.value.url).catch((error: Error) => {
        throw new HttpError(
          502,
          'whatsapp_unreachable',
          `the media URL could not be reached: ${error.message}`,
        );
      });
      if (!download.ok || !download.body) {
        await download.body?.cancel();
        // Media URLs expire after a few minutes and need the token; say which one it was.
        const code =
          download.status === 401 || download.status === 403
            ? 'whatsapp_token_rejected'
            : 'media_download_failed';
        return reply
          .status(502)
          .send(errorBody(code, `downloading media "${mediaId}" failed with HTTP ${download.status}`));
      }
      reply.header('content-type', info.value.mime_type);
      const length = download.headers.get('content-length') ?? info.value.file_size;
      if (length !== undefined && length !== null) reply.header('content-length', String(length));
      if (info.value.sha256) reply.header('x-media-sha256', info.value.sha256);
      reply.header('cache-control', 'private, max-age=300');
      return reply.send(Readable.fromWeb(download.body as WebReadableStream<Uint8Array>));
    },
  );
};
