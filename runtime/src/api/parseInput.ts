import type { z } from 'zod';
import { HttpError } from './httpError';

/** Parses a body or query with its zod schema; the first problem becomes a 400 naming the field. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  throw new HttpError(
    400,
    'invalid_request',
    field ? `${field}: ${issue?.message}` : (issue?.message ?? 'invalid input'),
    field,
  );
}
