import { z } from 'zod';
import { checkComparison, checkFieldKey, comparisonSchema, ruleFieldSchema } from '../if/schema';

export const switchCaseSchema = z.object({
  /** Also the output's id, so edges keep pointing at the case when its label is renamed. */
  id: z
    .string()
    .regex(/^[a-z0-9_]+$/, 'use a–z, 0–9 and _')
    .max(32)
    .refine((id) => id !== 'else', '“else” is the output for no match; choose another id'),
  label: z.string().trim().min(1, 'name the case').max(40),
  ...comparisonSchema.shape,
});
export type SwitchCase = z.infer<typeof switchCaseSchema>;

export const switchConfigSchema = z
  .object({
    field: ruleFieldSchema,
    fieldKey: z.string().trim().min(1).max(64).optional(),
    cases: z.array(switchCaseSchema).min(1, 'add a case').max(20),
  })
  .superRefine((config, ctx) => {
    checkFieldKey(config.field, config.fieldKey, ctx, []);
    const seen = new Set<string>();
    config.cases.forEach((switchCase, index) => {
      if (seen.has(switchCase.id)) {
        ctx.addIssue({ code: 'custom', path: ['cases', index, 'id'], message: 'two cases share this id' });
      }
      seen.add(switchCase.id);
      checkComparison(config.field, switchCase, ctx, ['cases', index]);
    });
  });
export type SwitchConfig = z.infer<typeof switchConfigSchema>;
