import type { RoutedEvent } from '@switchboard/shared';
import {
  type Comparison,
  isRuleGroup,
  type Rule,
  type RuleField,
  type RuleGroup,
  type RuleValue,
} from './schema';
import { compileTextPattern, foldText } from './textPattern';

/** What rules look at: the event (which carries the conversation's facts) and the time of the step. */
export interface RuleSubject {
  event: RoutedEvent;
  now: number;
}

export type FieldValue =
  | { kind: 'text'; value: string | null }
  | { kind: 'list'; value: string[] }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean };

/** WhatsApp lets a business send free-form messages for 24 hours after the customer's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60_000;

export function evaluateGroup(group: RuleGroup, subject: RuleSubject): boolean {
  // A loop, not every/some with a closure made per call: shadow replay evaluates conditions for
  // every recorded conversation. AND stops at the first rule that fails, OR at the first that holds.
  const decisive = group.combinator === 'or';
  for (const item of group.rules) {
    const holds = isRuleGroup(item) ? evaluateGroup(item, subject) : evaluateRule(item, subject);
    if (holds === decisive) return decisive;
  }
  return !decisive;
}

export function evaluateRule(rule: Rule, subject: RuleSubject): boolean {
  return compare(readField(rule.field, rule.fieldKey, subject), rule);
}

export function readField(
  field: RuleField,
  fieldKey: string | undefined,
  { event, now }: RuleSubject,
): FieldValue {
  const { facts } = event;
  const message = event.type === 'message.received' ? event : null;
  switch (field) {
    // Nodes reached after a wait see the starting event without its text (execution state keeps
    // no message bodies), so text rules there read ''.
    case 'message.text':
      return { kind: 'text', value: message?.text ?? '' };
    case 'message.type':
      return { kind: 'text', value: message?.messageType ?? null };
    case 'message.replyId':
      return { kind: 'text', value: message?.replyId ?? null };
    case 'message.referralSourceId':
      return { kind: 'text', value: message?.referralSourceId ?? null };
    case 'contact.name':
      return { kind: 'text', value: facts.contact.name };
    case 'contact.language':
      return { kind: 'text', value: facts.contact.language };
    case 'contact.field':
      return {
        kind: 'text',
        value: fieldKey === undefined ? null : (facts.contact.fields[fieldKey] ?? null),
      };
    case 'conversation.tags':
      return { kind: 'list', value: facts.tags };
    case 'conversation.priority':
      return { kind: 'text', value: facts.priority };
    case 'conversation.businessNumber':
      return { kind: 'text', value: event.businessNumberId };
    case 'conversation.ageMinutes':
      return { kind: 'number', value: (now - facts.openedAt) / 60_000 };
    case 'window.open':
      return {
        kind: 'boolean',
        value: facts.lastInboundAt !== null && now - facts.lastInboundAt < CUSTOMER_SERVICE_WINDOW_MS,
      };
  }
}

/**
 * Text comparisons ignore case (customers write "REFUND", "Refund" and "refund"); a value that is
 * not known (a contact without a name) equals nothing and contains nothing.
 */
export function compare(actual: FieldValue, { operator, value }: Comparison): boolean {
  switch (operator) {
    case 'equals':
      return isEqual(actual, value);
    case 'not_equals':
      return !isEqual(actual, value);
    case 'contains':
      return contains(actual, value);
    case 'not_contains':
      return !contains(actual, value);
    case 'starts_with':
      return (
        actual.kind === 'text' && actual.value !== null && fold(actual.value).startsWith(fold(textOf(value)))
      );
    case 'matches_regex':
      return matchesPattern(actual, value);
    case 'in':
      return isIn(actual, value);
    case 'not_in':
      return !isIn(actual, value);
    case 'greater_than':
      return actual.kind === 'number' && typeof value === 'number' && actual.value > value;
    case 'less_than':
      return actual.kind === 'number' && typeof value === 'number' && actual.value < value;
    case 'is_true':
      return actual.kind === 'boolean' && actual.value;
    case 'is_false':
      return actual.kind === 'boolean' && !actual.value;
    case 'is_empty':
      return isEmpty(actual);
    case 'is_not_empty':
      return !isEmpty(actual);
  }
}

function fold(text: string): string {
  return foldText(text.trim());
}

function textOf(value: RuleValue | undefined): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** The field's texts: one for a text field (none when unknown), every tag for the tag list. */
function textsOf(actual: FieldValue): string[] {
  if (actual.kind === 'list') return actual.value;
  return actual.kind === 'text' && actual.value !== null ? [actual.value] : [];
}

function isEqual(actual: FieldValue, value: RuleValue | undefined): boolean {
  return actual.kind === 'text' && actual.value !== null && fold(actual.value) === fold(textOf(value));
}

/** Text: a substring. Tags: one of them. */
function contains(actual: FieldValue, value: RuleValue | undefined): boolean {
  const needle = fold(textOf(value));
  if (needle === '') return false;
  if (actual.kind === 'list') return actual.value.some((tag) => fold(tag) === needle);
  return actual.kind === 'text' && actual.value !== null && fold(actual.value).includes(needle);
}

/** Text: equal to one of the values. Tags: any tag is one of the values. */
function isIn(actual: FieldValue, value: RuleValue | undefined): boolean {
  const options = new Set((Array.isArray(value) ? value : []).map(fold));
  return textsOf(actual).some((text) => options.has(fold(text)));
}

function matchesPattern(actual: FieldValue, value: RuleValue | undefined): boolean {
  const compiled = compileTextPattern(textOf(value));
  // The schema rejects patterns that do not compile, so `ok` is false only for unparsed configs.
  return compiled.ok && textsOf(actual).some((text) => compiled.pattern.test(text));
}

function isEmpty(actual: FieldValue): boolean {
  switch (actual.kind) {
    case 'text':
      return actual.value === null || actual.value.trim() === '';
    case 'list':
      return actual.value.length === 0;
    case 'number':
    case 'boolean':
      return false;
  }
}
