import { valueShapes } from '@switchboard/nodes';
import { useContext, useState } from 'react';
import type { EditorLookups } from './draftApi';
import {
  CheckboxList,
  ChipList,
  ChoiceSelect,
  ChoiceSuggestions,
  choicesFor,
  DurationField,
  ErrorText,
  type FieldErrors,
  labelOf,
} from './fieldControls';
import { NameValueRows } from './NameValueRows';
import { RuleGroupEditor } from './RuleGroupEditor';
import {
  adaptValue,
  asRuleField,
  asRuleOperator,
  RuleFieldContext,
  RuleFieldSelect,
  RuleOperatorSelect,
  RuleValueInput,
} from './ruleControls';
import { type FieldSpec, initialValue, type ObjectField, objectDefaults } from './schemaFields';
import { WeeklyHoursPicker } from './WeeklyHoursPicker';

type FieldProps = {
  name: string;
  spec: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string;
  errors: FieldErrors;
  lookups: EditorLookups;
  optional?: boolean;
  /** The object this field belongs to: a switch case's value is drawn for the case's operator. */
  parent?: Record<string, unknown>;
};

function TextField({ name, value, onChange, path, lookups, optional }: FieldProps) {
  const text = typeof value === 'string' ? value : '';
  const choices = choicesFor(name, lookups);
  const set = (next: string) => onChange(next === '' && optional ? undefined : next);
  if (choices?.closed) {
    return <ChoiceSelect choices={choices} value={text} onChange={set} path={path} label={labelOf(name)} />;
  }
  const listId = choices ? `choices-${path}` : undefined;
  const long = name === 'text' || name === 'body' || name === 'message';
  return (
    <>
      {long ? (
        <textarea
          value={text}
          onChange={(e) => set(e.target.value)}
          data-field={path}
          rows={3}
          aria-label={labelOf(name)}
        />
      ) : (
        <input
          type="text"
          value={text}
          onChange={(e) => set(e.target.value)}
          data-field={path}
          list={listId}
          aria-label={labelOf(name)}
        />
      )}
      <ChoiceSuggestions id={listId} choices={choices} />
    </>
  );
}

function NumberField({ spec, value, onChange, path, name }: FieldProps) {
  if (spec.kind !== 'number') return null;
  return (
    <input
      type="number"
      value={typeof value === 'number' ? value : ''}
      step={spec.integer ? 1 : 'any'}
      {...(spec.min !== null ? { min: spec.min } : {})}
      {...(spec.max !== null ? { max: spec.max } : {})}
      onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      data-field={path}
      aria-label={labelOf(name)}
    />
  );
}

function EnumField({ spec, value, onChange, path, name, optional }: FieldProps) {
  if (spec.kind !== 'enum') return null;
  return (
    <select
      value={typeof value === 'string' ? value : ''}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      data-field={path}
      aria-label={labelOf(name)}
    >
      {(optional || typeof value !== 'string') && <option value="">— default —</option>}
      {spec.options.map((option) => (
        <option key={option} value={option}>
          {option.replaceAll('_', ' ')}
        </option>
      ))}
    </select>
  );
}

function JsonField({ value, onChange, path, name }: FieldProps) {
  const [draft, setDraft] = useState(() => JSON.stringify(value ?? null, null, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <textarea
        className="json-field"
        value={draft}
        rows={6}
        data-field={path}
        aria-label={labelOf(name)}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => {
          try {
            onChange(JSON.parse(draft));
            setError(null);
          } catch (parseError) {
            setError(`not valid JSON: ${(parseError as Error).message}`);
          }
        }}
      />
      <ErrorText message={error ?? undefined} />
    </>
  );
}

function ArrayField(props: FieldProps) {
  const { spec, value, onChange, path, errors, lookups, name } = props;
  if (spec.kind !== 'array') return null;
  const items = Array.isArray(value) ? value : [];
  const item = spec.item;
  if (name === 'weekly' && item.kind === 'object') {
    return <WeeklyHoursPicker value={items} onChange={onChange} path={path} />;
  }
  if (item.kind === 'enum') {
    const options = item.options.map((option) => ({ value: option, label: option }));
    return <CheckboxList options={options} ticked={items.map(String)} onChange={onChange} path={path} />;
  }
  if (item.kind === 'text' || item.kind === 'number') {
    // One value per line: quicker for keyword and tag lists than an add button per item.
    const singular = name.endsWith('s') ? name.slice(0, -1) : name;
    const choices = choicesFor(singular, lookups) ?? choicesFor(name, lookups);
    if (choices?.closed) {
      // Named people to notify: tick them by name rather than type ids.
      return (
        <CheckboxList options={choices.options} ticked={items.map(String)} onChange={onChange} path={path} />
      );
    }
    const listId = choices ? `choices-${path}` : undefined;
    return (
      <ChipList
        items={items.map(String)}
        listId={listId}
        path={path}
        inputType={name === 'holidays' ? 'date' : 'text'}
        onChange={(next) =>
          onChange(item.kind === 'number' ? next.map(Number).filter(Number.isFinite) : next)
        }
      >
        <ChoiceSuggestions id={listId} choices={choices} />
      </ChipList>
    );
  }
  return (
    <div className="array-field" data-field={path}>
      {items.map((entry, index) => (
        // Items have no ids of their own; position is what the schema path uses too.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <div key={index} className="array-item">
          <ConfigField
            {...props}
            name={`${name} ${index + 1}`}
            spec={item}
            value={entry}
            path={`${path}.${index}`}
            optional={false}
            onChange={(next) => onChange(items.map((old, i) => (i === index ? next : old)))}
          />
          <button
            type="button"
            className="link-button"
            onClick={() => onChange(items.filter((_, i) => i !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        className="link-button"
        onClick={() => onChange([...items, initialValue(item)])}
        data-testid={`add-${path}`}
      >
        + Add
      </button>
      <ErrorText message={errors.get(path)} />
    </div>
  );
}

export function ObjectFields({
  fields,
  value,
  onChange,
  path,
  errors,
  lookups,
  hidden,
}: {
  fields: ObjectField[];
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  path: string;
  errors: FieldErrors;
  lookups: EditorLookups;
  hidden?: string;
}) {
  const ruleFieldKey = fields.find((field) => field.spec.kind === 'ruleField')?.key;
  const ruleField = ruleFieldKey === undefined ? null : asRuleField(value[ruleFieldKey]);
  const inherited = useContext(RuleFieldContext);
  const valueKey = fields.find((field) => field.spec.kind === 'ruleValue')?.key;
  const drawn = (
    <>
      {fields.map((field) => {
        if (field.key === hidden || field.spec.kind === 'literal') return null;
        // A contact field's name only means something once the rule looks at contact fields.
        if (field.key === 'fieldKey' && ruleFieldKey && ruleField !== 'contact.field' && !value.fieldKey) {
          return null;
        }
        const fieldPath = path ? `${path}.${field.key}` : field.key;
        const set = (next: unknown) => {
          const copy = { ...value };
          if (next === undefined) delete copy[field.key];
          else copy[field.key] = next;
          const operator = field.spec.kind === 'ruleOperator' ? asRuleOperator(next) : null;
          // "is one of" takes a list, "is" one value, "is empty" none: the case's value follows suit.
          if (operator && valueKey) {
            const adapted = adaptValue(valueShapes[operator], copy[valueKey]);
            if (adapted === undefined) delete copy[valueKey];
            else copy[valueKey] = adapted;
          }
          onChange(copy);
        };
        return (
          <ConfigField
            key={field.key}
            name={field.key}
            spec={field.spec}
            value={value[field.key] ?? (field.defaultValue !== undefined ? field.defaultValue : undefined)}
            onChange={set}
            path={fieldPath}
            errors={errors}
            lookups={lookups}
            optional={field.optional}
            parent={value}
          />
        );
      })}
    </>
  );
  return ruleFieldKey ? (
    <RuleFieldContext.Provider value={ruleField ?? inherited}>{drawn}</RuleFieldContext.Provider>
  ) : (
    drawn
  );
}

function ObjectFieldControl(props: FieldProps) {
  const { spec, value, onChange, path, errors, lookups, name, optional } = props;
  if (spec.kind !== 'object') return null;
  const record = value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  if (!record) {
    return optional ? (
      <button type="button" className="link-button" onClick={() => onChange(objectDefaults(spec))}>
        + Set {labelOf(name).toLowerCase()}
      </button>
    ) : (
      <ObjectFields
        fields={spec.fields}
        value={{}}
        onChange={onChange}
        path={path}
        errors={errors}
        lookups={lookups}
      />
    );
  }
  return (
    <div className="object-field">
      <ObjectFields
        fields={spec.fields}
        value={record}
        onChange={onChange}
        path={path}
        errors={errors}
        lookups={lookups}
      />
      {optional && (
        <button type="button" className="link-button" onClick={() => onChange(undefined)}>
          Clear
        </button>
      )}
    </div>
  );
}

export function VariantFields(props: FieldProps) {
  const { spec, value, onChange, path, errors, lookups } = props;
  if (spec.kind !== 'variants') return null;
  const record = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const current = spec.options.find((option) => option.value === record[spec.discriminator]);
  return (
    <div className="object-field">
      <label className="field">
        <span className="field-label">{labelOf(spec.discriminator)}</span>
        <select
          value={current?.value ?? ''}
          data-field={path ? `${path}.${spec.discriminator}` : spec.discriminator}
          onChange={(e) => {
            const option = spec.options.find((o) => o.value === e.target.value);
            if (option) onChange(objectDefaults(option.spec));
          }}
        >
          {!current && <option value="">— choose —</option>}
          {spec.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.value}
            </option>
          ))}
        </select>
      </label>
      {current && (
        <ObjectFields
          fields={current.spec.fields}
          value={record}
          onChange={onChange}
          path={path}
          errors={errors}
          lookups={lookups}
          hidden={spec.discriminator}
        />
      )}
    </div>
  );
}

function Control(props: FieldProps) {
  const { spec, name, value, onChange, path } = props;
  switch (spec.kind) {
    case 'text':
      return <TextField {...props} />;
    case 'number':
      return /Minutes$/.test(name) ? <DurationField {...props} /> : <NumberField {...props} />;
    case 'boolean':
      return (
        <input
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
          data-field={path}
        />
      );
    case 'enum':
      return <EnumField {...props} />;
    case 'literal':
      return null;
    case 'array':
      return <ArrayField {...props} />;
    case 'object':
      return <ObjectFieldControl {...props} />;
    case 'variants':
      return <VariantFields {...props} />;
    case 'record':
      return <NameValueRows value={value} onChange={onChange} path={path} errors={props.errors} />;
    case 'ruleGroup':
      return (
        <RuleGroupEditor
          value={value}
          onChange={onChange}
          path={path}
          errors={props.errors}
          lookups={props.lookups}
        />
      );
    case 'ruleField':
      return <RuleFieldSelect value={value} onChange={onChange} path={path} />;
    case 'ruleOperator':
      return <RuleOperatorControl {...props} />;
    case 'ruleValue':
      return <RuleValueControl {...props} />;
    case 'json':
      return <JsonField {...props} />;
  }
}

/** A switch case's operator, among those its node's field takes. */
function RuleOperatorControl({ value, onChange, path }: FieldProps) {
  const field = useContext(RuleFieldContext);
  return <RuleOperatorSelect field={field} value={value} onChange={onChange} path={path} />;
}

/** A switch case's value, drawn for the node's field and the case's operator. */
function RuleValueControl({ value, onChange, path, lookups, parent }: FieldProps) {
  const field = useContext(RuleFieldContext);
  return (
    <RuleValueInput
      field={field}
      operator={asRuleOperator(parent?.operator)}
      value={value}
      onChange={onChange}
      path={path}
      lookups={lookups}
    />
  );
}

/** One labelled field of a node's config, with the validation error for its path beneath it. */
export function ConfigField(props: FieldProps) {
  const { kind } = props.spec;
  const nested =
    kind === 'object' || kind === 'variants' || kind === 'array' || kind === 'record' || kind === 'ruleGroup';
  if (nested) {
    return (
      <fieldset className="field-group">
        <legend>{labelOf(props.name)}</legend>
        <Control {...props} />
        {/* Arrays and rule groups show their own error, beside their add buttons. */}
        {kind !== 'array' && kind !== 'ruleGroup' && <ErrorText message={props.errors.get(props.path)} />}
      </fieldset>
    );
  }
  // A div, not a label: the control inside names itself with aria-label, and a label around a
  // checkbox group or picker would forward clicks to the wrong element.
  return (
    <div className={props.spec.kind === 'boolean' ? 'field field--inline' : 'field'}>
      <span className="field-label">{labelOf(props.name)}</span>
      <Control {...props} />
      <ErrorText message={props.errors.get(props.path)} />
    </div>
  );
}
