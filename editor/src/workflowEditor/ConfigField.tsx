import { type ReactNode, useState } from 'react';
import type { EditorLookups } from './draftApi';
import { type FieldSpec, initialValue, type ObjectField, objectDefaults } from './schemaFields';
import { WeeklyHoursPicker } from './WeeklyHoursPicker';

export type FieldErrors = ReadonlyMap<string, string>;

type FieldProps = {
  name: string;
  spec: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string;
  errors: FieldErrors;
  lookups: EditorLookups;
  optional?: boolean;
};

const timeZones: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

/** `teamId` → "Team", `afterMinutes` → "After minutes". */
function labelOf(name: string): string {
  const words = name
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function ErrorText({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <span className="field-error" role="alert" data-testid="field-error">
      {message}
    </span>
  );
}

/** Lookups that give a plain string field a closed or suggested list of values. */
function choicesFor(
  name: string,
  lookups: EditorLookups,
): { options: Array<{ value: string; label: string }>; closed: boolean } | null {
  switch (name) {
    case 'teamId':
      return {
        options: lookups.teams.map((t) => ({ value: t.id, label: t.name })),
        closed: lookups.teams.length > 0,
      };
    case 'agentId':
      return {
        options: lookups.agents.map((a) => ({ value: a.id, label: a.name })),
        closed: lookups.agents.length > 0,
      };
    case 'workflowId':
      return {
        options: lookups.workflows.map((w) => ({ value: w.id, label: w.name })),
        closed: lookups.workflows.length > 0,
      };
    case 'businessNumberId':
      return {
        options: lookups.businessNumbers.map((b) => ({ value: b.id, label: b.displayPhoneNumber ?? b.id })),
        closed: lookups.businessNumbers.length > 0,
      };
    case 'timeZone':
      return { options: timeZones.map((zone) => ({ value: zone, label: zone })), closed: true };
    case 'tag':
    case 'tags':
      return { options: lookups.tags.map((tag) => ({ value: tag, label: tag })), closed: false };
    case 'skill':
      return { options: lookups.skills.map((skill) => ({ value: skill, label: skill })), closed: false };
    case 'templateName':
      return { options: lookups.templates.map((t) => ({ value: t, label: t })), closed: false };
    default:
      return null;
  }
}

function TextField({ name, value, onChange, path, lookups, optional }: FieldProps) {
  const text = typeof value === 'string' ? value : '';
  const choices = choicesFor(name, lookups);
  const set = (next: string) => onChange(next === '' && optional ? undefined : next);
  if (choices?.closed) {
    return (
      <select value={text} onChange={(e) => set(e.target.value)} data-field={path} aria-label={labelOf(name)}>
        <option value="">— choose —</option>
        {choices.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
        {text && !choices.options.some((o) => o.value === text) && (
          <option value={text}>{text} (unknown)</option>
        )}
      </select>
    );
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
      {choices && (
        <datalist id={listId}>
          {choices.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </datalist>
      )}
    </>
  );
}

const durationUnits = [
  { label: 'minutes', factor: 1 },
  { label: 'hours', factor: 60 },
  { label: 'days', factor: 60 * 24 },
];

/** Minutes, shown in the largest unit that divides them evenly; typed in any unit. */
function DurationField({ value, onChange, path, name }: FieldProps) {
  const minutes = typeof value === 'number' ? value : undefined;
  const fitting = [...durationUnits]
    .reverse()
    .find((u) => minutes !== undefined && minutes % u.factor === 0 && minutes >= u.factor);
  const [unit, setUnit] = useState(fitting ?? durationUnits[0]);
  const shown = minutes === undefined ? '' : String(minutes / (unit?.factor ?? 1));
  return (
    <span className="duration-field">
      <input
        type="number"
        value={shown}
        min={0}
        step="any"
        onChange={(e) =>
          onChange(e.target.value === '' ? undefined : Number(e.target.value) * (unit?.factor ?? 1))
        }
        data-field={path}
        aria-label={labelOf(name)}
      />
      <select
        value={unit?.label}
        aria-label={`${labelOf(name)} unit`}
        onChange={(e) => setUnit(durationUnits.find((u) => u.label === e.target.value) ?? durationUnits[0])}
      >
        {durationUnits.map((u) => (
          <option key={u.label}>{u.label}</option>
        ))}
      </select>
    </span>
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
    return (
      <span className="checkbox-group" data-field={path}>
        {item.options.map((option) => (
          <label key={option} className="checkbox-label">
            <input
              type="checkbox"
              checked={items.includes(option)}
              onChange={(e) =>
                onChange(
                  e.target.checked ? [...items, option] : items.filter((existing) => existing !== option),
                )
              }
            />
            {option}
          </label>
        ))}
      </span>
    );
  }
  if (item.kind === 'text' || item.kind === 'number') {
    // One value per line: quicker for keyword and tag lists than an add button per item.
    const singular = name.endsWith('s') ? name.slice(0, -1) : name;
    const choices = choicesFor(singular, lookups) ?? choicesFor(name, lookups);
    const listId = choices ? `choices-${path}` : undefined;
    return (
      <ChipList
        items={items.map(String)}
        listId={listId}
        path={path}
        onChange={(next) =>
          onChange(item.kind === 'number' ? next.map(Number).filter(Number.isFinite) : next)
        }
      >
        {choices && (
          <datalist id={listId}>
            {choices.options.map((o) => (
              <option key={o.value} value={o.value} />
            ))}
          </datalist>
        )}
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

function ChipList({
  items,
  onChange,
  path,
  listId,
  children,
}: {
  items: string[];
  onChange: (items: string[]) => void;
  path: string;
  listId: string | undefined;
  children: ReactNode;
}) {
  const [entry, setEntry] = useState('');
  const add = () => {
    const value = entry.trim();
    if (value && !items.includes(value)) onChange([...items, value]);
    setEntry('');
  };
  return (
    <span className="chip-list" data-field={path}>
      {items.map((value) => (
        <span key={value} className="chip">
          {value}
          <button
            type="button"
            aria-label={`remove ${value}`}
            onClick={() => onChange(items.filter((v) => v !== value))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        type="text"
        value={entry}
        list={listId}
        placeholder="add…"
        onChange={(e) => setEntry(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
        onBlur={add}
        data-testid={`chip-input-${path}`}
      />
      {children}
    </span>
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
  return (
    <>
      {fields.map((field) => {
        if (field.key === hidden || field.spec.kind === 'literal') return null;
        const fieldPath = path ? `${path}.${field.key}` : field.key;
        const set = (next: unknown) => {
          const copy = { ...value };
          if (next === undefined) delete copy[field.key];
          else copy[field.key] = next;
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
          />
        );
      })}
    </>
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
    case 'json':
      return <JsonField {...props} />;
  }
}

/** One labelled field of a node's config, with the validation error for its path beneath it. */
export function ConfigField(props: FieldProps) {
  const nested =
    props.spec.kind === 'object' || props.spec.kind === 'variants' || props.spec.kind === 'array';
  if (nested) {
    return (
      <fieldset className="field-group">
        <legend>{labelOf(props.name)}</legend>
        <Control {...props} />
        {props.spec.kind !== 'array' && <ErrorText message={props.errors.get(props.path)} />}
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
