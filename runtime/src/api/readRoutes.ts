import type { FastifyPluginAsync } from 'fastify';
import { roleAllows } from '../access/routePolicy';
import type { AssignmentViews } from '../assignment/assignmentViews';
import type { AppDatabase } from '../db/database';
import type { WorkflowStore } from '../workflows/workflowStore';
import { HttpError } from './httpError';

export interface ReadRoutesOptions {
  db: AppDatabase;
  workflows: WorkflowStore;
  assignments: AssignmentViews;
}

interface AgentRow {
  id: string;
  name: string;
  email: string;
  status: 'online' | 'away' | 'offline';
  role: 'agent' | 'manager' | 'admin';
  time_zone: string;
  capacity: number;
  skills: string;
  languages: string;
  shifts: string;
  holidays: string;
  last_active_at: number | null;
  deactivated_at: number | null;
  team_ids: string | null;
}

/** What the editor and the agent page read. */
export const readRoutes: FastifyPluginAsync<ReadRoutesOptions> = async (app, options) => {
  const sqlite = options.db.$client;
  const agentRows = sqlite.prepare<[], AgentRow>(
    `SELECT a.*, (SELECT group_concat(team_id) FROM team_members m WHERE m.agent_id = a.id) AS team_ids
       FROM agents a ORDER BY a.name`,
  );
  const agentExists = sqlite.prepare<[string], number>(`SELECT 1 FROM agents WHERE id = ?`).pluck();

  app.get('/api/workflows', async () => ({ workflows: options.workflows.list() }));

  app.get('/api/agents', async () => ({
    agents: agentRows.all().map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      status: row.status,
      role: row.role,
      timeZone: row.time_zone,
      capacity: row.capacity,
      skills: JSON.parse(row.skills),
      languages: JSON.parse(row.languages),
      shifts: JSON.parse(row.shifts),
      holidays: JSON.parse(row.holidays),
      lastActiveAt: row.last_active_at,
      active: row.deactivated_at === null,
      teamIds: row.team_ids ? row.team_ids.split(',') : [],
    })),
  }));

  app.get<{ Params: { agentId: string }; Querystring: { limit?: number } }>(
    '/api/agents/:agentId/assignments',
    {
      schema: {
        params: {
          type: 'object',
          properties: { agentId: { type: 'string', minLength: 1 } },
          required: ['agentId'],
        },
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500 } } },
      },
    },
    async (request) => {
      const { agentId } = request.params;
      const actor = request.actor;
      if (actor && actor.agentId !== agentId && !roleAllows(actor.role, 'manager')) {
        throw new HttpError(403, 'forbidden', 'agents see only their own assignments', 'agentId');
      }
      if (!agentExists.get(agentId))
        throw new HttpError(404, 'agent_not_found', `no agent "${agentId}"`, 'agentId');
      return { assignments: options.assignments.forAgent(agentId, request.query.limit ?? 100) };
    },
  );
};
