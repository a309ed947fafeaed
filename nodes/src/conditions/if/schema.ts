import { inboundMessageTypeSchema, prioritySchema } from '@switchboard/shared';
import { z } from 'zod';
import { compileTextPattern, PATTERN_LENGTH_LIMIT } from './textPattern';

export const ruleFieldSchema = z.enum([
  'message.text',
  'message.type',
  'message.replyId',
  'message.referralSourceId',
  'contact.name',
  'contact.language',
  'contact.field',
  'conversation.tags',
  'conversation.priority',
  'conversation.businessNumber',
  'conversation.ageMinutes',
  'window.open',
]);
export type RuleField = z.infer<typeof ruleFieldSchema>;

export const ruleOperatorSchema = z.enum([
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'starts_with',
  'matches_regex',
  'in',
  'not_in',
  'greater_than',
  'less_than',
  'is_true',
  'is_false',
  'is_empty',
  'is_not_empty',
]);
export type RuleOperator = z.infer<typeof ruleOperatorSchema>;

export const ruleValueSchema = z.union([
  z.string().max(PATTERN_LENGTH_LIMIT),
  z.number(),
  z.array(z.string().max(200)).max(50),
]);
export type RuleValue = z.infer<typeof ruleValueSchema>;

/** How to compare and with what: the part of a rule a switch case also has. */
export const comparisonSchema = z.object({
  operator: ruleOperatorSchema,
  value: ruleValueSchema.optional(),
});
export type Comparison = z.infer<typeof comparisonSchema>;

const fieldKeySchema = z.string().trim().min(1).max(64).optional();

export const ruleSchema = z
  .object({
    field: ruleFieldSchema,
    /** The contact field's name, for `contact.field`. */
    fieldKey: fieldKeySchema,
    ...comparisonSchema.shape,
  })
  .superRefine((rule, ctx) => {
    checkFieldKey(rule.field, rule.fieldKey, ctx, []);
    checkComparison(rule.field, rule, ctx, []);
  });
export type Rule = z.infer<typeof ruleSchema>;

export const ruleGroupSchema = z.object({
  // A group has no field: that is what tells it from a rule, so that a mistake is reported inside
  // the rule or group it belongs to rather than as "matches neither".
  field: z.undefined().optional(),
  combinator: z.enum(['and', 'or']).default('and'),
  get rules(): z.ZodArray<z.ZodDiscriminatedUnion<[typeof ruleSchema, typeof ruleGroupSchema]>> {
    return z
      .array(z.discriminatedUnion('field', [ruleSchema, ruleGroupSchema]))
      .min(1, 'add a rule')
      .max(20);
  },
});
export type RuleGroup = z.infer<typeof ruleGroupSchema>;

/** Deeper nesting stops being readable on a canvas card long before it becomes expensive. */
export const GROUP_DEPTH_LIMIT = 5;
/** Bounds the work one evaluation does inside the router workflow. */
export const RULE_COUNT_LIMIT = 100;

export const ifConfigSchema = z
  .object({ group: ruleGroupSchema })
  .superRefine((config, ctx) => checkNesting(config.group, ctx));
export type IfConfig = z.infer<typeof ifConfigSchema>;

export function isRuleGroup(item: Rule | RuleGroup): item is RuleGroup {
  return 'rules' in item;
}

/** What a field holds decides which operators apply to it. */
export type FieldKind = 'text' | 'list' | 'number' | 'boolean';

export const fieldKinds: Record<RuleField, FieldKind> = {
  'message.text': 'text',
  'message.type': 'text',
  'message.replyId': 'text',
  'message.referralSourceId': 'text',
  'contact.name': 'text',
  'contact.language': 'text',
  'contact.field': 'text',
  'conversation.tags': 'list',
  'conversation.priority': 'text',
  'conversation.businessNumber': 'text',
  'conversation.ageMinutes': 'number',
  'window.open': 'boolean',
};

export const operatorsByKind: Record<FieldKind, readonly RuleOperator[]> = {
  text: [
    'equals',
    'not_equals',
    'contains',
    'not_contains',
    'starts_with',
    'matches_regex',
    'in',
    'not_in',
    'is_empty',
    'is_not_empty',
  ],
  list: ['contains', 'not_contains', 'matches_regex', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  // The age is fractional minutes, so "equals 30" would almost never hold.
  number: ['greater_than', 'less_than'],
  boolean: ['is_true', 'is_false'],
};

export type ValueShape = 'none' | 'text' | 'texts' | 'number';

export const valueShapes: Record<RuleOperator, ValueShape> = {
  equals: 'text',
  not_equals: 'text',
  contains: 'text',
  not_contains: 'text',
  starts_with: 'text',
  matches_regex: 'text',
  in: 'texts',
  not_in: 'texts',
  greater_than: 'number',
  less_than: 'number',
  is_true: 'none',
  is_false: 'none',
  is_empty: 'none',
  is_not_empty: 'none',
};

/** Fields with a closed set of values: comparing with anything else is a typo that would never match. */
export const knownValues: Partial<Record<RuleField, readonly string[]>> = {
  'message.type': inboundMessageTypeSchema.options,
  'conversation.priority': prioritySchema.options,
};

type Path = (string | number)[];

export function checkFieldKey(
  field: RuleField,
  fieldKey: string | undefined,
  ctx: z.RefinementCtx,
  path: Path,
): void {
  if (field === 'contact.field' && !fieldKey) {
    ctx.addIssue({ code: 'custom', path: [...path, 'fieldKey'], message: 'name the contact field' });
  }
}

/** Reports an operator that does not fit the field, or a value that does not fit the operator. */
export function checkComparison(
  field: RuleField,
  { operator, value }: Comparison,
  ctx: z.RefinementCtx,
  path: Path,
): void {
  const kind = fieldKinds[field];
  if (!operatorsByKind[kind].includes(operator)) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'operator'],
      message: `${field} can be compared with ${operatorsByKind[kind].join(', ')}`,
    });
    return;
  }
  const problem = valueProblem(field, operator, value);
  if (problem) ctx.addIssue({ code: 'custom', path: [...path, 'value'], message: problem });
}

function valueProblem(field: RuleField, operator: RuleOperator, value: RuleValue | undefined): string | null {
  const known = knownValues[field];
  const unknown = (text: string) => known !== undefined && !known.includes(text.trim().toLowerCase());
  switch (valueShapes[operator]) {
    case 'none':
      return null;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'enter a number';
    case 'texts':
      if (!Array.isArray(value) || value.length === 0) return 'list at least one value';
      if (value.some(unknown)) return `use values among ${known?.join(', ')}`;
      return null;
    case 'text': {
      if (typeof value !== 'string' && typeof value !== 'number') return 'enter a value';
      const text = String(value);
      if (text.trim() === '') return 'enter a value';
      if (operator === 'matches_regex') {
        const compiled = compileTextPattern(text);
        return compiled.ok ? null : compiled.problem;
      }
      if ((operator === 'equals' || operator === 'not_equals') && unknown(text)) {
        return `use one of ${known?.join(', ')}`;
      }
      return null;
    }
  }
}

function checkNesting(group: RuleGroup, ctx: z.RefinementCtx): void {
  let rules = 0;
  const visit = (current: RuleGroup, depth: number, path: Path): void => {
    if (depth > GROUP_DEPTH_LIMIT) {
      ctx.addIssue({ code: 'custom', path, message: `groups nest at most ${GROUP_DEPTH_LIMIT} deep` });
      return;
    }
    current.rules.forEach((item, index) => {
      if (isRuleGroup(item)) visit(item, depth + 1, [...path, 'rules', index]);
      else rules += 1;
    });
  };
  visit(group, 1, ['group']);
  if (rules > RULE_COUNT_LIMIT) {
    ctx.addIssue({ code: 'custom', path: ['group'], message: `use at most ${RULE_COUNT_LIMIT} rules` });
  }
}
