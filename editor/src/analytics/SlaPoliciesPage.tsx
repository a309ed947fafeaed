import type { SlaPolicy, SlaPolicyInput } from '@switchboard/nodes';
import { useState } from 'react';
import { ApiError, errorMessage, sendJson } from '../api';
import { hasRole, useSession } from '../auth/session';
import { useJson } from '../useJson';

type Lookups = {
  teams: Array<{ id: string; name: string }>;
  tags: string[];
  businessNumbers: Array<{ id: string; displayPhoneNumber: string | null }>;
};

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type DayHours = { open: boolean; start: string; end: string };

/** The form as typed: text for numbers so an empty box means "no target", one row per weekday. */
type PolicyForm = {
  name: string;
  priority: string;
  teamId: string;
  tag: string;
  businessNumberId: string;
  firstResponseMinutes: string;
  nextResponseMinutes: string;
  resolutionMinutes: string;
  useBusinessHours: boolean;
  timeZone: string;
  days: DayHours[];
  holidays: string;
  warnAtPercent: string;
  enabled: boolean;
};

function emptyForm(): PolicyForm {
  return {
    name: '',
    priority: '',
    teamId: '',
    tag: '',
    businessNumberId: '',
    firstResponseMinutes: '',
    nextResponseMinutes: '',
    resolutionMinutes: '',
    useBusinessHours: false,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    days: DAYS.map((_, day) => ({ open: day >= 1 && day <= 5, start: '09:00', end: '17:00' })),
    holidays: '',
    warnAtPercent: '80',
    enabled: true,
  };
}

function formOf(policy: SlaPolicy): PolicyForm {
  const hours = policy.businessHours;
  const minutes = (value: number | null) => (value === null ? '' : String(value));
  return {
    name: policy.name,
    priority: policy.match.priority ?? '',
    teamId: policy.match.teamId ?? '',
    tag: policy.match.tag ?? '',
    businessNumberId: policy.match.businessNumberId ?? '',
    firstResponseMinutes: minutes(policy.firstResponseMinutes),
    nextResponseMinutes: minutes(policy.nextResponseMinutes),
    resolutionMinutes: minutes(policy.resolutionMinutes),
    useBusinessHours: hours !== null,
    timeZone: hours?.timeZone ?? emptyForm().timeZone,
    days: DAYS.map((_, day) => {
      const interval = hours?.weekly.find((opening) => opening.day === day);
      return interval
        ? { open: true, start: interval.start, end: interval.end }
        : { open: hours === null && day >= 1 && day <= 5, start: '09:00', end: '17:00' };
    }),
    holidays: hours?.holidays.join('\n') ?? '',
    warnAtPercent: String(policy.warnAtPercent),
    enabled: policy.enabled,
  };
}

/** What the API takes. Typos in numbers go as they are, so the API's 400 names the field. */
function inputOf(form: PolicyForm): SlaPolicyInput {
  const number = (text: string) => (text.trim() === '' ? null : Number(text));
  const match: SlaPolicyInput['match'] = {};
  if (form.priority) match.priority = form.priority as (typeof PRIORITIES)[number];
  if (form.teamId) match.teamId = form.teamId;
  if (form.tag) match.tag = form.tag;
  if (form.businessNumberId) match.businessNumberId = form.businessNumberId;
  return {
    name: form.name,
    match,
    firstResponseMinutes: number(form.firstResponseMinutes),
    nextResponseMinutes: number(form.nextResponseMinutes),
    resolutionMinutes: number(form.resolutionMinutes),
    businessHours: form.useBusinessHours
      ? {
          timeZone: form.timeZone,
          weekly: form.days.flatMap((hours, day) =>
            hours.open ? [{ day, start: hours.start, end: hours.end }] : [],
          ),
          holidays: form.holidays
            .split(/[\s,]+/)
            .map((date) => date.trim())
            .filter(Boolean),
        }
      : null,
    warnAtPercent: number(form.warnAtPercent) ?? 80,
    enabled: form.enabled,
  };
}

/** The form box an API field error belongs to: `businessHours.weekly.2.start` → `businessHours.weekly`. */
function fieldBox(field: string): string {
  const parts = field.split('.');
  return parts.slice(0, parts[0] === 'businessHours' || parts[0] === 'match' ? 2 : 1).join('.');
}

function describeTargets(policy: SlaPolicy): string {
  const parts = [
    policy.firstResponseMinutes !== null && `first ${policy.firstResponseMinutes} min`,
    policy.nextResponseMinutes !== null && `next ${policy.nextResponseMinutes} min`,
    policy.resolutionMinutes !== null && `resolution ${policy.resolutionMinutes} min`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no targets';
}

function describeMatch(policy: SlaPolicy, lookups: Lookups | null): string {
  const { priority, teamId, tag, businessNumberId } = policy.match;
  const team = teamId && (lookups?.teams.find((t) => t.id === teamId)?.name ?? teamId);
  const parts = [
    priority && `priority ${priority}`,
    team && `team ${team}`,
    tag && `tag ${tag}`,
    businessNumberId && `number ${businessNumberId}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'every conversation';
}

export function SlaPoliciesPage() {
  const user = useSession((s) => s.user);
  const canEdit = hasRole(user, 'manager');
  const policies = useJson<{ policies: SlaPolicy[] }>('/api/sla/policies');
  const lookups = useJson<Lookups>('/api/editor/lookups');
  const [editing, setEditing] = useState<{ id: string | null; form: PolicyForm } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const open = (id: string | null, form: PolicyForm) => {
    setEditing({ id, form });
    setFieldErrors({});
    setError(null);
  };
  const change = (patch: Partial<PolicyForm>) =>
    setEditing((current) => current && { ...current, form: { ...current.form, ...patch } });
  const changeDay = (day: number, patch: Partial<DayHours>) =>
    setEditing(
      (current) =>
        current && {
          ...current,
          form: {
            ...current.form,
            days: current.form.days.map((hours, index) => (index === day ? { ...hours, ...patch } : hours)),
          },
        },
    );

  async function save() {
    if (!editing) return;
    setSaving(true);
    setFieldErrors({});
    setError(null);
    try {
      const body = inputOf(editing.form);
      if (editing.id === null) await sendJson('POST', '/api/sla/policies', body);
      else await sendJson('PUT', `/api/sla/policies/${encodeURIComponent(editing.id)}`, body);
      setEditing(null);
      policies.reload();
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 400 && caught.field)
        setFieldErrors({ [fieldBox(caught.field)]: caught.message });
      else setError(errorMessage(caught));
    } finally {
      setSaving(false);
    }
  }

  async function remove(id: string) {
    setError(null);
    try {
      await sendJson('DELETE', `/api/sla/policies/${encodeURIComponent(id)}`);
      if (editing?.id === id) setEditing(null);
      policies.reload();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  const fieldError = (box: string) =>
    fieldErrors[box] ? (
      <span className="field-error" role="alert" data-field-error={box}>
        {fieldErrors[box]}
      </span>
    ) : null;
  const form = editing?.form;
  const minutesField = (
    key: 'firstResponseMinutes' | 'nextResponseMinutes' | 'resolutionMinutes',
    label: string,
  ) =>
    form && (
      <label className="field">
        {label}
        <input
          type="number"
          min="1"
          placeholder="no target"
          value={form[key]}
          onChange={(e) => change({ [key]: e.target.value })}
        />
        {fieldError(key)}
      </label>
    );

  return (
    <section className="page sla-policies" data-testid="sla-policies">
      <h1>SLA policies</h1>
      <p className="muted">
        Targets in minutes; the most specific enabled policy that matches a conversation applies. Only replies
        written by agents count as responses.
      </p>
      {(policies.error || error) && (
        <p className="error" role="alert">
          {error ?? policies.error}
        </p>
      )}
      <table className="sla-policy-list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Applies to</th>
            <th>Targets</th>
            <th>Time</th>
            <th>Warn at</th>
            <th>Enabled</th>
            {canEdit && <th />}
          </tr>
        </thead>
        <tbody>
          {policies.data?.policies.map((policy) => (
            <tr key={policy.id} data-policy={policy.name}>
              <td>{policy.name}</td>
              <td>{describeMatch(policy, lookups.data)}</td>
              <td>{describeTargets(policy)}</td>
              <td>
                {policy.businessHours ? `business hours (${policy.businessHours.timeZone})` : 'calendar'}
              </td>
              <td>{policy.warnAtPercent} %</td>
              <td>{policy.enabled ? 'yes' : 'no'}</td>
              {canEdit && (
                <td>
                  <button type="button" onClick={() => open(policy.id, formOf(policy))}>
                    Edit
                  </button>{' '}
                  <button type="button" onClick={() => void remove(policy.id)}>
                    Delete
                  </button>
                </td>
              )}
            </tr>
          ))}
          {policies.data?.policies.length === 0 && (
            <tr>
              <td colSpan={canEdit ? 7 : 6} className="muted">
                No policies yet: no SLA clocks run.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {canEdit && !editing && (
        <button type="button" onClick={() => open(null, emptyForm())}>
          New policy
        </button>
      )}
      {form && (
        <form
          className="sla-policy-form"
          aria-label={editing?.id ? 'Edit SLA policy' : 'New SLA policy'}
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <h2>{editing?.id ? `Edit “${form.name}”` : 'New policy'}</h2>
          <label className="field">
            Name
            <input type="text" value={form.name} onChange={(e) => change({ name: e.target.value })} />
            {fieldError('name')}
          </label>
          <fieldset>
            <legend>Applies to (empty: any)</legend>
            <label className="field">
              Priority
              <select
                aria-label="Priority"
                value={form.priority}
                onChange={(e) => change({ priority: e.target.value })}
              >
                <option value="">any</option>
                {PRIORITIES.map((priority) => (
                  <option key={priority} value={priority}>
                    {priority}
                  </option>
                ))}
              </select>
              {fieldError('match.priority')}
            </label>
            <label className="field">
              Team
              <select
                aria-label="Team"
                value={form.teamId}
                onChange={(e) => change({ teamId: e.target.value })}
              >
                <option value="">any</option>
                {lookups.data?.teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
              {fieldError('match.teamId')}
            </label>
            <label className="field">
              Tag
              <select aria-label="Tag" value={form.tag} onChange={(e) => change({ tag: e.target.value })}>
                <option value="">any</option>
                {lookups.data?.tags.map((tag) => (
                  <option key={tag} value={tag}>
                    {tag}
                  </option>
                ))}
              </select>
              {fieldError('match.tag')}
            </label>
            <label className="field">
              Business number
              <select
                aria-label="Business number"
                value={form.businessNumberId}
                onChange={(e) => change({ businessNumberId: e.target.value })}
              >
                <option value="">any</option>
                {lookups.data?.businessNumbers.map((number) => (
                  <option key={number.id} value={number.id}>
                    {number.displayPhoneNumber ?? number.id}
                  </option>
                ))}
              </select>
              {fieldError('match.businessNumberId')}
            </label>
          </fieldset>
          <fieldset>
            <legend>Targets (minutes)</legend>
            {minutesField('firstResponseMinutes', 'First response')}
            {minutesField('nextResponseMinutes', 'Next response')}
            {minutesField('resolutionMinutes', 'Resolution')}
            <label className="field">
              Warn at (%)
              <input
                type="number"
                value={form.warnAtPercent}
                onChange={(e) => change({ warnAtPercent: e.target.value })}
              />
              {fieldError('warnAtPercent')}
            </label>
          </fieldset>
          <fieldset>
            <legend>
              <label>
                <input
                  type="checkbox"
                  checked={form.useBusinessHours}
                  onChange={(e) => change({ useBusinessHours: e.target.checked })}
                />{' '}
                Count business hours only (otherwise calendar time)
              </label>
            </legend>
            {form.useBusinessHours && (
              <>
                <label className="field">
                  Time zone
                  <input
                    type="text"
                    value={form.timeZone}
                    onChange={(e) => change({ timeZone: e.target.value })}
                  />
                  {fieldError('businessHours.timeZone')}
                </label>
                <table className="sla-weekly">
                  <tbody>
                    {form.days.map((hours, day) => (
                      <tr key={DAYS[day]}>
                        <td>
                          <label>
                            <input
                              type="checkbox"
                              checked={hours.open}
                              onChange={(e) => changeDay(day, { open: e.target.checked })}
                            />{' '}
                            {DAYS[day]}
                          </label>
                        </td>
                        <td>
                          <input
                            type="time"
                            aria-label={`${DAYS[day]} from`}
                            disabled={!hours.open}
                            value={hours.start}
                            onChange={(e) => changeDay(day, { start: e.target.value })}
                          />{' '}
                          –{' '}
                          <input
                            type="time"
                            aria-label={`${DAYS[day]} to`}
                            disabled={!hours.open}
                            value={hours.end}
                            onChange={(e) => changeDay(day, { end: e.target.value })}
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {fieldError('businessHours.weekly')}
                <label className="field">
                  Holidays (YYYY-MM-DD, one per line)
                  <textarea value={form.holidays} onChange={(e) => change({ holidays: e.target.value })} />
                  {fieldError('businessHours.holidays')}
                </label>
              </>
            )}
          </fieldset>
          <label>
            <input
              type="checkbox"
              checked={form.enabled}
              onChange={(e) => change({ enabled: e.target.checked })}
            />{' '}
            Enabled
          </label>
          {fieldError('enabled')}
          <div className="form-actions">
            <button type="submit" disabled={saving}>
              {saving ? 'Saving…' : 'Save policy'}
            </button>{' '}
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
