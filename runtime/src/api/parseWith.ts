import type { z } from 'zod';
import { HttpError } from './httpError';

/** Validates request input against a zod schema; the first problem becomes a 400 naming its field. */
export function parseWith<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  throw new HttpError(400, 'invalid_request', issue?.message ?? 'invalid request', field);
}
