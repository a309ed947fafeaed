import { z } from 'zod';
import { compileTextPattern, PATTERN_LENGTH_LIMIT } from '../../conditions/if/textPattern';

export const keywordMatchSchema = z.enum(['contains', 'exact', 'starts_with', 'regex']);

export const keywordConfigSchema = z
  .object({
    keywords: z
      .array(z.string().trim().min(1, 'a keyword cannot be empty').max(PATTERN_LENGTH_LIMIT))
      .min(1, 'add at least one keyword')
      .max(50),
    /** `exact` and `starts_with` ignore spaces around the message; `regex` reads each keyword as a pattern. */
    match: keywordMatchSchema.default('contains'),
    caseSensitive: z.boolean().default(false),
  })
  .superRefine((config, ctx) => {
    if (config.match !== 'regex') return;
    config.keywords.forEach((keyword, index) => {
      const compiled = compileTextPattern(keyword, config);
      if (!compiled.ok)
        ctx.addIssue({ code: 'custom', path: ['keywords', index], message: compiled.problem });
    });
  });
export type KeywordConfig = z.infer<typeof keywordConfigSchema>;
