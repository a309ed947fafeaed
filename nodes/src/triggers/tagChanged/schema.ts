import { z } from 'zod';

export const tagChangedConfigSchema = z.object({
  /** Empty: any tag. */
  tag: z.string().trim().max(64).optional(),
  change: z.enum(['added', 'removed', 'any']).default('added'),
});
export type TagChangedConfig = z.infer<typeof tagChangedConfigSchema>;
