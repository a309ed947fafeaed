import { GROUP_DEPTH_LIMIT, type RuleField, valueShapes } from '@switchboard/nodes';
import type { EditorLookups } from './draftApi';
import { ErrorText, type FieldErrors } from './fieldControls';
import {
  adaptValue,
  asRuleField,
  asRuleOperator,
  operatorsFor,
  RuleFieldSelect,
  RuleOperatorSelect,
  RuleValueInput,
} from './ruleControls';

type Combinator = 'and' | 'or';
type Item = Record<string, unknown>;

/** The schema's own bound on one group's rules. */
const RULES_PER_GROUP = 20;

type EditorProps = {
  value: unknown;
  onChange: (value: Item) => void;
  path: string;
  errors: FieldErrors;
  lookups: EditorLookups;
};

function asItem(value: unknown): Item {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Item) : {};
}

/** As the interpreter tells them apart: a group has rules, a rule has a field. */
function isGroup(item: Item): boolean {
  return 'rules' in item;
}

function newRule(): Item {
  return { field: 'message.text', operator: 'contains' };
}

/** A group inside an "and" usually says "or" (and the reverse), or it would add nothing. */
function newGroup(parent: Combinator): Item {
  return { combinator: parent === 'and' ? 'or' : 'and', rules: [newRule()] };
}

/**
 * An If node's rules as a form: a row per rule, groups inside groups, AND/OR per group. Edits go
 * back as the config the schema validates, so its errors land beside the row they are about.
 */
export function RuleGroupEditor(props: EditorProps) {
  return <GroupEditor {...props} depth={1} onRemove={null} />;
}

function GroupEditor({
  value,
  onChange,
  path,
  errors,
  lookups,
  depth,
  onRemove,
}: EditorProps & { depth: number; onRemove: (() => void) | null }) {
  const group = asItem(value);
  const combinator: Combinator = group.combinator === 'or' ? 'or' : 'and';
  const rules = Array.isArray(group.rules) ? group.rules.map(asItem) : [];
  const setRules = (next: Item[]) => onChange({ ...group, combinator, rules: next });
  const replace = (index: number, next: Item) => setRules(rules.map((old, i) => (i === index ? next : old)));
  const remove = (index: number) => setRules(rules.filter((_, i) => i !== index));
  const full = rules.length >= RULES_PER_GROUP;
  return (
    <div className="rule-group" data-testid="rule-group" data-path={path} data-combinator={combinator}>
      <div className="rule-group-head">
        <span className="field-label">Match</span>
        <fieldset className="segmented" aria-label="Combine rules with" data-field={`${path}.combinator`}>
          {(['and', 'or'] as const).map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={combinator === option}
              onClick={() => onChange({ ...group, combinator: option, rules })}
              title={option === 'and' ? 'every rule must hold' : 'one rule is enough'}
            >
              {option === 'and' ? 'all (AND)' : 'any (OR)'}
            </button>
          ))}
        </fieldset>
        {onRemove && (
          <button type="button" className="link-button" onClick={onRemove}>
            Remove group
          </button>
        )}
      </div>
      <ErrorText message={errors.get(path) ?? errors.get(`${path}.combinator`)} />
      <ol className="rule-list">
        {rules.map((item, index) => {
          const itemPath = `${path}.rules.${index}`;
          return (
            // Rules have no ids of their own; position is what the schema's error paths use too.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={index} className="rule-item">
              {index > 0 && <span className="rule-joiner">{combinator}</span>}
              {isGroup(item) ? (
                <GroupEditor
                  value={item}
                  onChange={(next) => replace(index, next)}
                  path={itemPath}
                  errors={errors}
                  lookups={lookups}
                  depth={depth + 1}
                  onRemove={() => remove(index)}
                />
              ) : (
                <RuleRow
                  value={item}
                  onChange={(next) => replace(index, next)}
                  onRemove={() => remove(index)}
                  path={itemPath}
                  errors={errors}
                  lookups={lookups}
                />
              )}
            </li>
          );
        })}
      </ol>
      <ErrorText message={errors.get(`${path}.rules`)} />
      <div className="rule-group-actions">
        <button
          type="button"
          className="link-button"
          disabled={full}
          onClick={() => setRules([...rules, newRule()])}
          data-testid={`add-rule-${path}`}
        >
          + Rule
        </button>
        <button
          type="button"
          className="link-button"
          disabled={full || depth >= GROUP_DEPTH_LIMIT}
          title={depth >= GROUP_DEPTH_LIMIT ? `groups nest at most ${GROUP_DEPTH_LIMIT} deep` : undefined}
          onClick={() => setRules([...rules, newGroup(combinator)])}
          data-testid={`add-group-${path}`}
        >
          + Group
        </button>
      </div>
    </div>
  );
}

function RuleRow({
  value,
  onChange,
  onRemove,
  path,
  errors,
  lookups,
}: {
  value: Item;
  onChange: (value: Item) => void;
  onRemove: () => void;
  path: string;
  errors: FieldErrors;
  lookups: EditorLookups;
}) {
  const field = asRuleField(value.field);
  const operator = asRuleOperator(value.operator);
  const set = (changes: Item) => {
    const next = { ...value, ...changes };
    for (const key of Object.keys(changes)) if (next[key] === undefined) delete next[key];
    onChange(next);
  };
  const chooseField = (next: RuleField) => {
    const offered = operatorsFor(next);
    const keptOperator = operator && offered.includes(operator) ? operator : offered[0];
    set({
      field: next,
      fieldKey: next === 'contact.field' ? value.fieldKey : undefined,
      operator: keptOperator,
      // A priority is not a tag: the old value only survives between fields of the same kind.
      value:
        keptOperator && field && sameValues(field, next)
          ? adaptValue(valueShapes[keptOperator], value.value)
          : undefined,
    });
  };
  return (
    <div className="rule-row" data-testid="rule-row" data-path={path}>
      <RuleFieldSelect value={value.field} onChange={chooseField} path={`${path}.field`} />
      {field === 'contact.field' && (
        <input
          type="text"
          value={typeof value.fieldKey === 'string' ? value.fieldKey : ''}
          placeholder="field name"
          aria-label="Contact field name"
          data-field={`${path}.fieldKey`}
          onChange={(e) => set({ fieldKey: e.target.value === '' ? undefined : e.target.value })}
        />
      )}
      <RuleOperatorSelect
        field={field}
        value={value.operator}
        path={`${path}.operator`}
        onChange={(next) => set({ operator: next, value: adaptValue(valueShapes[next], value.value) })}
      />
      <RuleValueInput
        field={field}
        operator={operator}
        value={value.value}
        onChange={(next) => set({ value: next })}
        path={`${path}.value`}
        lookups={lookups}
      />
      <button type="button" className="link-button" aria-label="Remove rule" onClick={onRemove}>
        ×
      </button>
      {(['', '.field', '.fieldKey', '.operator', '.value'] as const).map((suffix) => (
        <ErrorText key={suffix} message={errors.get(`${path}${suffix}`)} />
      ))}
    </div>
  );
}

/** Free-text fields hold the same kind of value; fields with their own lists do not. */
function sameValues(a: RuleField, b: RuleField): boolean {
  const listed: RuleField[] = [
    'message.type',
    'conversation.priority',
    'conversation.businessNumber',
    'conversation.tags',
    'conversation.ageMinutes',
    'window.open',
    'contact.language',
  ];
  return !listed.includes(a) && !listed.includes(b);
}
