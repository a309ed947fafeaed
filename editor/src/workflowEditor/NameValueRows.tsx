import { useState } from 'react';
import { ErrorText, type FieldErrors } from './fieldControls';

type Row = { name: string; value: string };

function rowsOf(value: unknown): Row[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).map(([name, text]) => ({ name, value: typeof text === 'string' ? text : '' }));
}

/**
 * A string-to-string map (an HTTP request's headers) as rows of name and value. The rows are kept
 * here while typing, so that a half-typed name equal to another row's does not swallow that row;
 * the config gets the last value for each name, as a header sent twice would.
 */
export function NameValueRows({
  value,
  onChange,
  path,
  errors,
}: {
  value: unknown;
  onChange: (value: Record<string, string>) => void;
  path: string;
  errors: FieldErrors;
}) {
  const incoming = JSON.stringify(value ?? {});
  const [typed, setTyped] = useState<{ rows: Row[]; source: string }>(() => ({
    rows: rowsOf(value),
    source: incoming,
  }));
  // An undo or another node's config arriving replaces what was being typed.
  let rows = typed.rows;
  if (typed.source !== incoming) {
    rows = rowsOf(value);
    setTyped({ rows, source: incoming });
  }
  const update = (next: Row[]) => {
    const record = Object.fromEntries(
      next.filter((row) => row.name.trim() !== '').map((row) => [row.name.trim(), row.value]),
    );
    setTyped({ rows: next, source: JSON.stringify(record) });
    onChange(record);
  };
  return (
    <div className="name-value-rows" data-field={path}>
      {rows.map((row, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions while their names are typed
        <div key={index} className="name-value-row">
          <input
            type="text"
            value={row.name}
            placeholder="name"
            aria-label={`Name ${index + 1}`}
            data-field={`${path}.${index}.name`}
            onChange={(e) => update(rows.map((r, i) => (i === index ? { ...r, name: e.target.value } : r)))}
          />
          <input
            type="text"
            value={row.value}
            placeholder="value"
            aria-label={`Value ${index + 1}`}
            data-field={`${path}.${index}.value`}
            onChange={(e) => update(rows.map((r, i) => (i === index ? { ...r, value: e.target.value } : r)))}
          />
          <button
            type="button"
            className="link-button"
            aria-label={`Remove ${row.name || 'row'}`}
            onClick={() => update(rows.filter((_, i) => i !== index))}
          >
            ×
          </button>
          <ErrorText message={errors.get(`${path}.${row.name.trim()}`)} />
        </div>
      ))}
      <button
        type="button"
        className="link-button"
        onClick={() => setTyped({ rows: [...rows, { name: '', value: '' }], source: incoming })}
        data-testid={`add-${path}`}
      >
        + Add
      </button>
    </div>
  );
}
