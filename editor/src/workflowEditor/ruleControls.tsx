import {
  fieldKinds,
  knownValues,
  operatorsByKind,
  type RuleField,
  type RuleOperator,
  type RuleValue,
  ruleFieldLabels,
  ruleFieldSchema,
  ruleOperatorLabels,
  ruleOperatorSchema,
  type ValueShape,
  valueShapes,
} from '@switchboard/nodes';
import { createContext } from 'react';
import type { EditorLookups } from './draftApi';
import {
  CheckboxList,
  ChipList,
  ChoiceSelect,
  ChoiceSuggestions,
  type Choices,
  choicesFor,
  DurationField,
} from './fieldControls';

/**
 * The field a Switch node compares its cases on, for the operator and value controls of each case:
 * they sit below it in the form but depend on it as the controls of an If rule depend on theirs.
 */
export const RuleFieldContext = createContext<RuleField | null>(null);

export function asRuleField(value: unknown): RuleField | null {
  const parsed = ruleFieldSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function asRuleOperator(value: unknown): RuleOperator | null {
  const parsed = ruleOperatorSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The operators that make sense for a field; all of them while no field is chosen. */
export function operatorsFor(field: RuleField | null): readonly RuleOperator[] {
  return field ? operatorsByKind[fieldKinds[field]] : ruleOperatorSchema.options;
}

/** Turns the value a rule had into one of the shape its new operator takes, keeping what it can. */
export function adaptValue(shape: ValueShape, value: unknown): RuleValue | undefined {
  switch (shape) {
    case 'none':
      return undefined;
    case 'number':
      return typeof value === 'number' ? value : undefined;
    case 'text':
      if (typeof value === 'string' || typeof value === 'number') return String(value);
      return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
    case 'texts':
      if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
      return typeof value === 'string' && value.trim() !== '' ? [value] : undefined;
  }
}

/** What a rule on this field can be compared with: closed lists from the schema, live data otherwise. */
function valueChoices(field: RuleField | null, lookups: EditorLookups): Choices | null {
  if (!field) return null;
  const known = knownValues[field];
  if (known)
    return { options: known.map((v) => ({ value: v, label: v.replaceAll('_', ' ') })), closed: true };
  switch (field) {
    case 'conversation.businessNumber':
      return choicesFor('businessNumberId', lookups);
    case 'conversation.tags':
      return choicesFor('tags', lookups);
    case 'contact.language':
      return choicesFor('languages', lookups);
    default:
      return null;
  }
}

export function RuleFieldSelect({
  value,
  onChange,
  path,
}: {
  value: unknown;
  onChange: (field: RuleField) => void;
  path: string;
}) {
  const field = asRuleField(value);
  return (
    <select
      value={field ?? ''}
      onChange={(e) => {
        const next = asRuleField(e.target.value);
        if (next) onChange(next);
      }}
      data-field={path}
      aria-label="Field"
    >
      {!field && <option value="">— choose —</option>}
      {ruleFieldSchema.options.map((option) => (
        <option key={option} value={option}>
          {ruleFieldLabels[option]}
        </option>
      ))}
    </select>
  );
}

export function RuleOperatorSelect({
  field,
  value,
  onChange,
  path,
}: {
  field: RuleField | null;
  value: unknown;
  onChange: (operator: RuleOperator) => void;
  path: string;
}) {
  const operator = asRuleOperator(value);
  const offered = operatorsFor(field);
  return (
    <select
      value={operator ?? ''}
      onChange={(e) => {
        const next = asRuleOperator(e.target.value);
        if (next) onChange(next);
      }}
      data-field={path}
      aria-label="Operator"
    >
      {!operator && <option value="">— choose —</option>}
      {operator && !offered.includes(operator) && (
        <option value={operator}>{ruleOperatorLabels[operator]} (not for this field)</option>
      )}
      {offered.map((option) => (
        <option key={option} value={option}>
          {ruleOperatorLabels[option]}
        </option>
      ))}
    </select>
  );
}

/**
 * The value of a rule, drawn for what its field holds and what its operator compares: nothing for
 * "is empty", minutes for the conversation's age, a select for priorities and business numbers,
 * several values for "is one of", a pattern for "matches".
 */
export function RuleValueInput({
  field,
  operator,
  value,
  onChange,
  path,
  lookups,
}: {
  field: RuleField | null;
  operator: RuleOperator | null;
  value: unknown;
  onChange: (value: RuleValue | undefined) => void;
  path: string;
  lookups: EditorLookups;
}) {
  const shape = operator ? valueShapes[operator] : 'text';
  const choices = operator === 'matches_regex' ? null : valueChoices(field, lookups);
  switch (shape) {
    case 'none':
      return null;
    case 'number':
      return field === 'conversation.ageMinutes' ? (
        <DurationField
          name="value"
          value={value}
          path={path}
          onChange={(next) => onChange(typeof next === 'number' ? next : undefined)}
        />
      ) : (
        <input
          type="number"
          value={typeof value === 'number' ? value : ''}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
          data-field={path}
          aria-label="Value"
        />
      );
    case 'texts':
      return (
        <TextsInput
          choices={choices}
          value={adaptValue('texts', value) ?? []}
          onChange={onChange}
          path={path}
        />
      );
    case 'text':
      return (
        <TextInput choices={choices} operator={operator} value={value} onChange={onChange} path={path} />
      );
  }
}

function TextInput({
  choices,
  operator,
  value,
  onChange,
  path,
}: {
  choices: Choices | null;
  operator: RuleOperator | null;
  value: unknown;
  onChange: (value: RuleValue | undefined) => void;
  path: string;
}) {
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  const set = (next: string) => onChange(next === '' ? undefined : next);
  if (choices?.closed) {
    return <ChoiceSelect choices={choices} value={text} onChange={set} path={path} label="Value" />;
  }
  const listId = choices ? `choices-${path}` : undefined;
  return (
    <>
      <input
        type="text"
        value={text}
        onChange={(e) => set(e.target.value)}
        data-field={path}
        list={listId}
        aria-label="Value"
        placeholder={operator === 'matches_regex' ? 'pattern, e.g. refund|chargeback' : 'value'}
      />
      <ChoiceSuggestions id={listId} choices={choices} />
    </>
  );
}

function TextsInput({
  choices,
  value,
  onChange,
  path,
}: {
  choices: Choices | null;
  value: RuleValue;
  onChange: (value: RuleValue | undefined) => void;
  path: string;
}) {
  const items = Array.isArray(value) ? value : [];
  const set = (next: string[]) => onChange(next.length === 0 ? undefined : next);
  if (choices?.closed) {
    return <CheckboxList options={choices.options} ticked={items} onChange={set} path={path} />;
  }
  const listId = choices ? `choices-${path}` : undefined;
  return (
    <ChipList items={items} listId={listId} path={path} onChange={set}>
      <ChoiceSuggestions id={listId} choices={choices} />
    </ChipList>
  );
}
