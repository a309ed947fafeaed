import { z } from 'zod';

export const slaAlertConfigSchema = z.object({
  level: z.enum(['warning', 'breach', 'any']).default('breach'),
  measure: z.enum(['first_response', 'next_response', 'resolution', 'any']).default('any'),
});
export type SlaAlertConfig = z.infer<typeof slaAlertConfigSchema>;
