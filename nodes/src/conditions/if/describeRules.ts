import type { Comparison, Rule, RuleField, RuleGroup, RuleOperator } from './schema';
import { isRuleGroup } from './schema';

export const fieldLabels: Record<RuleField, string> = {
  'message.text': 'message',
  'message.type': 'message type',
  'message.replyId': 'reply button / list row id',
  'message.referralSourceId': 'ad (click-to-WhatsApp source id)',
  'contact.name': 'contact name',
  'contact.language': 'language',
  'contact.field': 'contact field',
  'conversation.tags': 'tags',
  'conversation.priority': 'priority',
  'conversation.businessNumber': 'business number',
  'conversation.ageMinutes': 'age (min)',
  'window.open': '24-hour window',
};

export const operatorLabels: Record<RuleOperator, string> = {
  equals: 'is',
  not_equals: 'is not',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  matches_regex: 'matches',
  in: 'is one of',
  not_in: 'is none of',
  greater_than: '>',
  less_than: '<',
  is_true: 'is open',
  is_false: 'is closed',
  is_empty: 'is empty',
  is_not_empty: 'is set',
};

export function describeField(field: RuleField, fieldKey: string | undefined): string {
  return field === 'contact.field' && fieldKey ? `contact field “${fieldKey}”` : fieldLabels[field];
}

/** "message contains “refund”", "tags is one of vip, gold", "24-hour window is open". */
export function describeComparison({ operator, value }: Comparison): string {
  if (value === undefined || operator.startsWith('is_')) return operatorLabels[operator];
  const shown = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? `“${value}”` : value;
  return `${operatorLabels[operator]} ${shown}`;
}

export function describeRule(rule: Rule): string {
  return `${describeField(rule.field, rule.fieldKey)} ${describeComparison(rule)}`;
}

/** One line for the canvas card: the first rule, and how many more are combined with it. */
export function describeGroup(group: RuleGroup): string {
  const [first, ...others] = group.rules;
  const head =
    first === undefined ? 'no rules' : isRuleGroup(first) ? `(${describeGroup(first)})` : describeRule(first);
  return others.length === 0 ? head : `${head} ${group.combinator} ${others.length} more`;
}
