import type { FastifyError, FastifyInstance } from 'fastify';

/** An error meant for the client: status, stable code, message naming the problem and the field. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, field?: string) {
  return { error: field ? { code, message, field } : { code, message } };
}

export const BUSY_RETRY_AFTER_SECONDS = 1;

/** better-sqlite3's SqliteError for a lock it could not get within busy_timeout. */
export function isDatabaseBusy(error: { code?: unknown }): boolean {
  return (
    typeof error.code === 'string' && (error.code.startsWith('SQLITE_BUSY') || error.code === 'SQLITE_LOCKED')
  );
}

/** Maps every error to `{ error: { code, message, field? } }`; stack traces stay in the log. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.statusCode).send(errorBody(error.code, error.message, error.field));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(errorBody('body_too_large', error.message));
    }
    if (isDatabaseBusy(error)) {
      // Another process (the router worker) held SQLite's write lock past busy_timeout: nothing
      // is wrong with the request, and it can be sent again as it is.
      request.log.warn({ err: error }, 'database busy');
      return reply
        .status(503)
        .header('retry-after', String(BUSY_RETRY_AFTER_SECONDS))
        .send(errorBody('database_busy', 'the database is busy; retry shortly (see Retry-After)'));
    }
    if (error.validation) {
      const first = error.validation[0];
      const field = first?.instancePath?.replace(/^\//, '').replaceAll('/', '.') || undefined;
      return reply.status(400).send(errorBody('invalid_request', error.message, field));
    }
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'request failed');
    return reply
      .status(status)
      .send(
        errorBody(
          status === 500 ? 'internal' : (error.code ?? 'bad_request'),
          status === 500 ? 'internal error' : error.message,
        ),
      );
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(errorBody('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`)),
  );
}
