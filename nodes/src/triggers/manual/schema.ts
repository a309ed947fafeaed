import { z } from 'zod';

export const manualConfigSchema = z.object({});
export type ManualConfig = z.infer<typeof manualConfigSchema>;
