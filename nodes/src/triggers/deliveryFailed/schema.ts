import { z } from 'zod';

export const deliveryFailedConfigSchema = z.object({
  /** Cloud API error codes, e.g. 131047 (outside the 24-hour window), 131026 (undeliverable). Empty: any. */
  errorCodes: z.array(z.number().int().nonnegative()).max(50).default([]),
});
export type DeliveryFailedConfig = z.infer<typeof deliveryFailedConfigSchema>;
