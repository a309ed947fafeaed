import { type ReactNode, useState } from 'react';
import type { EditorLookups } from './draftApi';

/** Validation messages by config path (`group.rules.0.value`), as the inspector shows them. */
export type FieldErrors = ReadonlyMap<string, string>;

export const timeZones: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

/** `teamId` → "Team", `afterMinutes` → "After minutes". */
export function labelOf(name: string): string {
  const words = name
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function ErrorText({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <span className="field-error" role="alert" data-testid="field-error">
      {message}
    </span>
  );
}

/** Values a field offers; `closed` when anything else would be a mistake rather than a new value. */
export type Choices = { options: Array<{ value: string; label: string }>; closed: boolean };

/** Lookups that give a plain string field a closed or suggested list of values. */
export function choicesFor(name: string, lookups: EditorLookups): Choices | null {
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
    case 'language':
    case 'languages':
      return { options: lookups.languages.map((code) => ({ value: code, label: code })), closed: false };
    case 'templateName':
      return { options: lookups.templates.map((t) => ({ value: t, label: t })), closed: false };
    default:
      return null;
  }
}

const durationUnits = [
  { label: 'minutes', factor: 1 },
  { label: 'hours', factor: 60 },
  { label: 'days', factor: 60 * 24 },
];

/** Minutes, shown in the largest unit that divides them evenly; typed in any unit. */
/** A closed list as a select; a stored value no longer offered stays visible as "(unknown)". */
export function ChoiceSelect({
  choices,
  value,
  onChange,
  path,
  label,
}: {
  choices: Choices;
  value: string;
  onChange: (value: string) => void;
  path: string;
  label: string;
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-field={path} aria-label={label}>
      <option value="">— choose —</option>
      {choices.options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
      {value && !choices.options.some((o) => o.value === value) && (
        <option value={value}>{value} (unknown)</option>
      )}
    </select>
  );
}

/** Suggestions for a free text input (its `list` attribute names `id`). */
export function ChoiceSuggestions({ id, choices }: { id: string | undefined; choices: Choices | null }) {
  if (!choices) return null;
  return (
    <datalist id={id}>
      {choices.options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </datalist>
  );
}

export function DurationField({
  value,
  onChange,
  path,
  name,
}: {
  name: string;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string;
}) {
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

export function ChipList({
  items,
  onChange,
  path,
  listId,
  children,
  inputType = 'text',
}: {
  items: string[];
  onChange: (items: string[]) => void;
  path: string;
  listId: string | undefined;
  children?: ReactNode;
  /** `date` for closed days: the browser's date picker gives the YYYY-MM-DD the schema wants. */
  inputType?: 'text' | 'date';
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
        type={inputType}
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

/**
 * Several values from a closed list, ticked by label. A ticked value the list no longer has (an
 * agent who left) stays visible, marked unknown, so that it can be unticked rather than kept unseen.
 */
export function CheckboxList({
  options,
  ticked,
  onChange,
  path,
}: {
  options: Choices['options'];
  ticked: string[];
  onChange: (ticked: string[]) => void;
  path: string;
}) {
  const unknown = ticked.filter((value) => !options.some((option) => option.value === value));
  const shown = [...options, ...unknown.map((value) => ({ value, label: `${value} (unknown)` }))];
  return (
    <span className="checkbox-group" data-field={path}>
      {shown.map((option) => (
        <label key={option.value} className="checkbox-label">
          <input
            type="checkbox"
            checked={ticked.includes(option.value)}
            onChange={(e) =>
              onChange(
                e.target.checked
                  ? [...ticked, option.value]
                  : ticked.filter((value) => value !== option.value),
              )
            }
          />
          {option.label}
        </label>
      ))}
    </span>
  );
}
