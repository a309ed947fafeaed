import { randomUUID } from 'node:crypto';
import {
  agentProfileChangeSchema,
  agentStatusChangeSchema,
  businessNumberChangeSchema,
  notificationPreferencesSchema,
  teamChangeSchema,
  teamInputSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../access/identities';
import { roleAllows } from '../access/routePolicy';
import { HttpError } from '../api/httpError';
import { parseInput } from '../api/parseInput';
import type { AppDatabase } from '../db/database';
import { transactWhenFree } from '../db/writeLock';
import { prepareAvailabilityHistory } from './availabilityHistory';
import type { Presence } from './presence';

export interface TeamRoutesOptions {
  db: AppDatabase;
  presence: Presence;
}

const agentParams = z.object({ agentId: z.string().min(1) });
const teamParams = z.object({ teamId: z.string().min(1) });
const numberParams = z.object({ numberId: z.string().min(1) });

/**
 * The team model, managed in the app: agents' working profiles, teams with leads and members,
 * business numbers mapped to teams (managers), and each person's status and notification
 * preferences (themselves).
 */
export const teamRoutes: FastifyPluginAsync<TeamRoutesOptions> = async (app, { db, presence }) => {
  const sqlite = db.$client;
  const availability = prepareAvailabilityHistory(db);
  const membersOf = sqlite
    .prepare<[string], string>(`SELECT agent_id FROM team_members WHERE team_id = ?`)
    .pluck();
  const agentExists = sqlite.prepare<[string], number>(`SELECT 1 FROM agents WHERE id = ?`).pluck();
  const teamExists = sqlite.prepare<[string], number>(`SELECT 1 FROM teams WHERE id = ?`).pluck();
  const teams = sqlite.prepare<
    [],
    { id: string; name: string; leadAgentId: string | null; memberIds: string | null }
  >(
    `SELECT t.id, t.name, t.lead_agent_id AS leadAgentId,
            (SELECT group_concat(agent_id) FROM team_members m WHERE m.team_id = t.id) AS memberIds
       FROM teams t ORDER BY t.name`,
  );
  const numbers = sqlite.prepare(
    `SELECT id, display_phone_number AS displayPhoneNumber, team_id AS teamId, workflow_id AS workflowId
       FROM business_numbers ORDER BY id`,
  );
  const preferencesOf = sqlite
    .prepare<[string], string>(`SELECT notification_preferences FROM agents WHERE id = ?`)
    .pluck();

  const requireAgent = (agentId: string, field = 'agentId') => {
    if (!agentExists.get(agentId))
      throw new HttpError(404, 'agent_not_found', `no agent "${agentId}"`, field);
  };
  const requireTeam = (teamId: string, field = 'teamId') => {
    if (!teamExists.get(teamId)) throw new HttpError(404, 'team_not_found', `no team "${teamId}"`, field);
  };
  const listTeams = () =>
    teams.all().map((row) => ({ ...row, memberIds: row.memberIds ? row.memberIds.split(',').sort() : [] }));

  app.patch('/api/agents/:agentId', { config: { access: 'manager' } }, async (request) => {
    const { agentId } = parseInput(agentParams, request.params);
    requireAgent(agentId);
    const change = parseInput(agentProfileChangeSchema, request.body);
    for (const teamId of change.teamIds ?? []) requireTeam(teamId, 'teamIds');
    const write = () => {
      const columns: Array<[string, unknown]> = [
        ['skills', change.skills && JSON.stringify(change.skills)],
        ['languages', change.languages && JSON.stringify(change.languages)],
        ['time_zone', change.timeZone],
        ['shifts', change.shifts && JSON.stringify(change.shifts)],
        ['holidays', change.holidays && JSON.stringify([...new Set(change.holidays)].sort())],
        ['capacity', change.capacity],
      ];
      for (const [column, value] of columns) {
        if (value !== undefined)
          sqlite.prepare(`UPDATE agents SET ${column} = ? WHERE id = ?`).run(value, agentId);
      }
      if (change.teamIds) {
        sqlite.prepare(`DELETE FROM team_members WHERE agent_id = ?`).run(agentId);
        const insert = sqlite.prepare(`INSERT INTO team_members (team_id, agent_id) VALUES (?, ?)`);
        for (const teamId of new Set(change.teamIds)) insert.run(teamId, agentId);
      }
    };
    // Languages alone are not weighed by the assignment engine, so they leave no availability change.
    const { languages: _notWeighed, ...weighed } = change;
    // The availability history reads before it writes: one IMMEDIATE transaction (see transactWhenFree).
    if (Object.values(weighed).some((value) => value !== undefined))
      await transactWhenFree(sqlite, () => availability.changing([agentId], Date.now(), 'profile', write));
    else await transactWhenFree(sqlite, write);
    return { updated: agentId };
  });

  app.put('/api/agents/:agentId/status', async (request) => {
    const { agentId } = parseInput(agentParams, request.params);
    const actor = request.actor as Actor;
    if (agentId !== actor.agentId && !roleAllows(actor.role, 'manager')) {
      throw new HttpError(403, 'forbidden', 'agents set only their own status', 'agentId');
    }
    requireAgent(agentId);
    const { status } = parseInput(agentStatusChangeSchema, request.body);
    await presence.set(agentId, status, Date.now());
    return { agentId, status };
  });

  app.get('/api/me/preferences', async (request) => ({
    preferences: JSON.parse(preferencesOf.get((request.actor as Actor).agentId) ?? '{}'),
  }));

  app.put('/api/me/preferences', async (request) => {
    const preferences = parseInput(notificationPreferencesSchema, request.body);
    sqlite
      .prepare(`UPDATE agents SET notification_preferences = ? WHERE id = ?`)
      .run(JSON.stringify(preferences), (request.actor as Actor).agentId);
    return { preferences };
  });

  app.get('/api/teams', async () => ({ teams: listTeams() }));

  const saveTeam = (teamId: string, input: z.infer<typeof teamChangeSchema>) => {
    if (input.leadAgentId) requireAgent(input.leadAgentId, 'leadAgentId');
    for (const memberId of input.memberIds ?? []) requireAgent(memberId, 'memberIds');
    // Reads the members before it writes them: IMMEDIATE (see transactWhenFree).
    return transactWhenFree(sqlite, () => {
      if (input.name !== undefined)
        sqlite.prepare(`UPDATE teams SET name = ? WHERE id = ?`).run(input.name, teamId);
      if (input.leadAgentId !== undefined)
        sqlite.prepare(`UPDATE teams SET lead_agent_id = ? WHERE id = ?`).run(input.leadAgentId, teamId);
      const members = input.memberIds && new Set(input.memberIds);
      // A lead who is not a member would never be offered the team's conversations.
      if (members && input.leadAgentId) members.add(input.leadAgentId);
      if (members) {
        const before = new Set(membersOf.all(teamId));
        const moved = [...new Set([...before, ...members])].filter(
          (id) => before.has(id) !== members.has(id),
        );
        availability.changing(moved, Date.now(), 'teams', () => {
          sqlite.prepare(`DELETE FROM team_members WHERE team_id = ?`).run(teamId);
          const insert = sqlite.prepare(`INSERT INTO team_members (team_id, agent_id) VALUES (?, ?)`);
          for (const agentId of members) insert.run(teamId, agentId);
        });
      }
    });
  };

  app.post('/api/teams', { config: { access: 'manager' } }, async (request, reply) => {
    const input = parseInput(teamInputSchema, request.body);
    const id = `team_${randomUUID().slice(0, 8)}`;
    sqlite.prepare(`INSERT INTO teams (id, name) VALUES (?, ?)`).run(id, input.name);
    await saveTeam(id, input);
    return reply.status(201).send({ team: listTeams().find((team) => team.id === id) });
  });

  app.patch('/api/teams/:teamId', { config: { access: 'manager' } }, async (request) => {
    const { teamId } = parseInput(teamParams, request.params);
    requireTeam(teamId);
    await saveTeam(teamId, parseInput(teamChangeSchema, request.body));
    return { team: listTeams().find((team) => team.id === teamId) };
  });

  app.get('/api/business-numbers', async () => ({ businessNumbers: numbers.all() }));

  app.put('/api/business-numbers/:numberId', { config: { access: 'manager' } }, async (request) => {
    const { numberId } = parseInput(numberParams, request.params);
    const input = parseInput(businessNumberChangeSchema, request.body);
    if (input.teamId) requireTeam(input.teamId);
    sqlite
      .prepare(
        `INSERT INTO business_numbers (id, display_phone_number, team_id, workflow_id) VALUES (@id, @display, @teamId, @workflowId)
         ON CONFLICT (id) DO UPDATE SET team_id = excluded.team_id,
           display_phone_number = coalesce(excluded.display_phone_number, display_phone_number),
           workflow_id = CASE WHEN @keepWorkflow THEN workflow_id ELSE excluded.workflow_id END`,
      )
      .run({
        id: numberId,
        display: input.displayPhoneNumber ?? null,
        teamId: input.teamId,
        workflowId: input.workflowId ?? null,
        keepWorkflow: input.workflowId === undefined ? 1 : 0,
      });
    return { businessNumber: numbers.all().find((row) => (row as { id: string }).id === numberId) };
  });
};
