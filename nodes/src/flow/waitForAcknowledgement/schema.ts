import { z } from 'zod';

export const waitForAcknowledgementConfigSchema = z.object({
  /** What ends the wait early: the assignee acknowledging, replying to the customer, or either. */
  waitFor: z.enum(['acknowledgement', 'reply', 'either']).default('acknowledgement'),
  timeoutMinutes: z
    .number()
    .positive()
    .max(60 * 24 * 30)
    .default(15),
});
export type WaitForAcknowledgementConfig = z.infer<typeof waitForAcknowledgementConfigSchema>;
