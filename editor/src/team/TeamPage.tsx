import type { NotificationPreferences } from '@switchboard/shared';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useAgentsStore } from '../agents/store';
import { type AgentSummary, errorMessage, getJson, sendJson } from '../api';
import { hasRole, useSession } from '../auth/session';
import { list, shiftsToText, skillsToText, textToShifts, textToSkills } from './profileText';

type Team = { id: string; name: string; leadAgentId: string | null; memberIds: string[] };
type BusinessNumber = {
  id: string;
  displayPhoneNumber: string | null;
  teamId: string | null;
  workflowId: string | null;
};

/** Agents, teams and business numbers (managers edit), and my own status and notification preferences. */
export function TeamPage() {
  const user = useSession((s) => s.user);
  const agents = useAgentsStore((s) => s.agents);
  const loadAgents = useAgentsStore((s) => s.load);
  const [teams, setTeams] = useState<Team[]>([]);
  const [numbers, setNumbers] = useState<BusinessNumber[]>([]);
  const [error, setError] = useState<string | null>(null);
  const manager = hasRole(user, 'manager');

  const reload = useCallback(async () => {
    try {
      await loadAgents();
      setTeams((await getJson<{ teams: Team[] }>('/api/teams')).teams);
      setNumbers(
        (await getJson<{ businessNumbers: BusinessNumber[] }>('/api/business-numbers')).businessNumbers,
      );
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [loadAgents]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setError(null);
      await reload();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <section className="page team-page">
      <h1>Team</h1>
      {error && (
        <p className="error" role="alert" data-testid="team-error">
          {error}
        </p>
      )}
      {user && <MySettings agentId={user.id} onChanged={reload} />}

      <h2>Agents</h2>
      <ul className="agent-list">
        {agents.map((agent) => (
          <AgentProfile
            key={agent.id}
            agent={agent}
            teams={teams}
            editable={manager}
            onSave={(change) => run(() => sendJson('PATCH', `/api/agents/${agent.id}`, change))}
          />
        ))}
      </ul>

      <h2>Teams</h2>
      <ul className="team-list">
        {teams.map((team) => (
          <li key={team.id} className="team-row" data-testid="team-row">
            <strong>{team.name}</strong>
            <label>
              Lead{' '}
              <select
                disabled={!manager}
                value={team.leadAgentId ?? ''}
                onChange={(event) =>
                  run(() =>
                    sendJson('PATCH', `/api/teams/${team.id}`, { leadAgentId: event.target.value || null }),
                  )
                }
              >
                <option value="">No lead</option>
                {agents.map((agent) => (
                  <option key={agent.id} value={agent.id}>
                    {agent.name}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted">
              {team.memberIds.map((id) => agents.find((a) => a.id === id)?.name ?? id).join(', ')}
            </span>
          </li>
        ))}
      </ul>
      {manager && (
        <form
          className="inline-form"
          onSubmit={(event: FormEvent<HTMLFormElement>) => {
            event.preventDefault();
            const name = String(new FormData(event.currentTarget).get('name') ?? '');
            event.currentTarget.reset();
            void run(() => sendJson('POST', '/api/teams', { name }));
          }}
        >
          <input name="name" placeholder="New team name" aria-label="New team name" required />
          <button type="submit">Add team</button>
        </form>
      )}

      <h2>Business numbers</h2>
      <ul className="team-list">
        {numbers.map((number) => (
          <li key={number.id} className="team-row">
            <strong>{number.displayPhoneNumber ?? number.id}</strong>
            <label>
              Team{' '}
              <select
                disabled={!manager}
                value={number.teamId ?? ''}
                onChange={(event) =>
                  run(() =>
                    sendJson('PUT', `/api/business-numbers/${number.id}`, {
                      teamId: event.target.value || null,
                    }),
                  )
                }
              >
                <option value="">No team</option>
                {teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}

function AgentProfile({
  agent,
  teams,
  editable,
  onSave,
}: {
  agent: AgentSummary;
  teams: Team[];
  editable: boolean;
  onSave: (change: object) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    void onSave({
      skills: textToSkills(text('skills')),
      languages: list(text('languages')),
      timeZone: text('timeZone'),
      capacity: Number(text('capacity')),
      shifts: textToShifts(text('shifts')),
      holidays: list(text('holidays')),
      teamIds: form.getAll('teamIds').map(String),
    });
  };
  return (
    <li className="agent-row" data-testid="team-agent" data-agent-id={agent.id}>
      <button type="button" className="link-button agent-link" onClick={() => setOpen(!open)}>
        <span className={`status-dot status-dot--${agent.status}`} title={agent.status} />
        <span className="agent-name">{agent.name}</span>
        <span className="muted">
          {agent.email} · {agent.role} · {agent.status}
        </span>
      </button>
      {open && (
        <form className="profile-form" onSubmit={submit}>
          <fieldset disabled={!editable}>
            <label>
              Skills (skill:level 1–5) <input name="skills" defaultValue={skillsToText(agent.skills)} />
            </label>
            <label>
              Languages <input name="languages" defaultValue={agent.languages.join(', ')} />
            </label>
            <label>
              Time zone <input name="timeZone" defaultValue={agent.timeZone} />
            </label>
            <label>
              Capacity <input name="capacity" type="number" min={0} defaultValue={agent.capacity} />
            </label>
            <label>
              Weekly shifts (Mon 09:00-17:00, …; empty: always){' '}
              <input name="shifts" defaultValue={shiftsToText(agent.shifts)} />
            </label>
            <label>
              Holidays (YYYY-MM-DD, …) <input name="holidays" defaultValue={agent.holidays.join(', ')} />
            </label>
            <span>
              Teams:{' '}
              {teams.map((team) => (
                <label key={team.id} className="checkbox">
                  <input
                    type="checkbox"
                    name="teamIds"
                    value={team.id}
                    defaultChecked={agent.teamIds.includes(team.id)}
                  />{' '}
                  {team.name}
                </label>
              ))}
            </span>
            {editable && <button type="submit">Save</button>}
          </fieldset>
        </form>
      )}
    </li>
  );
}

function MySettings({ agentId, onChanged }: { agentId: string; onChanged: () => Promise<void> }) {
  const status = useAgentsStore((s) => s.agents.find((agent) => agent.id === agentId)?.status);
  const [preferences, setPreferences] = useState<NotificationPreferences | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    getJson<{ preferences: NotificationPreferences }>('/api/me/preferences')
      .then((body) => setPreferences(body.preferences))
      .catch((error: unknown) => setMessage(errorMessage(error)));
  }, []);

  const save = async (next: NotificationPreferences) => {
    try {
      await sendJson('PUT', '/api/me/preferences', next);
      setPreferences(next);
      setMessage('Saved');
    } catch (error) {
      setMessage(errorMessage(error));
    }
  };

  return (
    <div className="my-settings" data-testid="my-settings">
      <h2>Me</h2>
      <label>
        Status{' '}
        <select
          value={status ?? 'offline'}
          onChange={async (event) => {
            await sendJson('PUT', `/api/agents/${agentId}/status`, { status: event.target.value });
            await onChanged();
          }}
          data-testid="my-status"
        >
          <option value="online">online</option>
          <option value="away">away</option>
          <option value="offline">offline</option>
        </select>
      </label>
      {preferences && (
        <form
          className="preferences"
          onSubmit={(event) => {
            event.preventDefault();
            const form = new FormData(event.currentTarget);
            const start = String(form.get('quietStart') ?? '');
            const end = String(form.get('quietEnd') ?? '');
            const digest = String(form.get('digest') ?? '');
            void save({
              onlyMineAndMentions: form.get('onlyMine') === 'on',
              quietHours: start && end ? { start, end } : null,
              digestEveryMinutes: digest ? Number(digest) : null,
            });
          }}
        >
          <label className="checkbox">
            <input type="checkbox" name="onlyMine" defaultChecked={preferences.onlyMineAndMentions} /> Only my
            conversations and mentions
          </label>
          <label>
            Quiet hours{' '}
            <input name="quietStart" type="time" defaultValue={preferences.quietHours?.start ?? ''} /> –{' '}
            <input name="quietEnd" type="time" defaultValue={preferences.quietHours?.end ?? ''} />
          </label>
          <label>
            E-mail digest every{' '}
            <select name="digest" defaultValue={preferences.digestEveryMinutes ?? ''}>
              <option value="">no digest (at once)</option>
              <option value="30">30 min</option>
              <option value="60">1 hour</option>
              <option value="240">4 hours</option>
              <option value="1440">day</option>
            </select>
          </label>
          <button type="submit">Save preferences</button>
          {message && <span className="muted">{message}</span>}
        </form>
      )}
    </div>
  );
}
