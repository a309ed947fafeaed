import {
  type AssignResult,
  assignEffectSchema,
  type RoutedEvent,
  routedEventSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../api/httpError';
import { AssignmentError } from '../assignment/assignmentError';
import { prepareAssignmentStatements } from '../assignment/assignmentStatements';
import { explain } from '../assignment/explanation';
import { loadSituation } from '../assignment/situation';
import { chooseAgent } from '../assignment/strategies';
import type { AppDatabase } from '../db/database';

export interface DryRunRoutesOptions {
  db: AppDatabase;
}

/** How many stored messages the test-run picker offers. */
const RECORDED_EVENT_LIMIT = 25;

/**
 * What the editor's inspector and test run read: live lookups, recorded events to replay against a
 * draft, and a read-only assignment decision. Nothing here writes.
 */
export const dryRunRoutes: FastifyPluginAsync<DryRunRoutesOptions> = async (app, { db }) => {
  const sqlite = db.$client;
  const statements = prepareAssignmentStatements(db);
  const agents = sqlite.prepare<[], { id: string; name: string }>(
    `SELECT id, name FROM agents ORDER BY name`,
  );
  const teams = sqlite.prepare<[], { id: string; name: string }>(`SELECT id, name FROM teams ORDER BY name`);
  const workflows = sqlite.prepare<[], { id: string; name: string }>(
    `SELECT id, name FROM workflows WHERE status != 'archived' ORDER BY name`,
  );
  const tags = sqlite
    .prepare<[], string>(`SELECT DISTINCT t.value FROM conversations c, json_each(c.tags) t ORDER BY t.value`)
    .pluck();
  const skills = sqlite
    .prepare<[], string>(
      `SELECT DISTINCT json_extract(s.value, '$.skill') FROM agents a, json_each(a.skills) s ORDER BY 1`,
    )
    .pluck();
  // What contacts are known to speak and what agents can answer in: the languages rules compare with.
  const languages = sqlite
    .prepare<[], string>(
      `SELECT language FROM contacts WHERE language IS NOT NULL
       UNION SELECT l.value FROM agents a, json_each(a.languages) l
       ORDER BY 1`,
    )
    .pluck();
  const numbers = sqlite.prepare<[], { id: string; displayPhoneNumber: string | null }>(
    `SELECT id, display_phone_number AS displayPhoneNumber FROM business_numbers ORDER BY id`,
  );
  // Templates are not stored as such; the names ever sent are what a manager can pick from.
  const templates = sqlite
    .prepare<[], string>(
      `SELECT DISTINCT json_extract(payload, '$.template.name') FROM messages
        WHERE direction = 'outbound' AND type = 'template' AND json_extract(payload, '$.template.name') IS NOT NULL
        ORDER BY 1`,
    )
    .pluck();
  const recorded = sqlite.prepare<[number], { seq: number; payload: string; created_at: number }>(
    `SELECT seq, payload, created_at FROM outbox
      WHERE json_extract(payload, '$.type') = 'message.received'
      ORDER BY seq DESC LIMIT ?`,
  );

  app.get('/api/editor/lookups', async () => ({
    agents: agents.all(),
    teams: teams.all(),
    tags: tags.all(),
    skills: skills.all(),
    languages: languages.all(),
    businessNumbers: numbers.all(),
    templates: templates.all(),
    workflows: workflows.all(),
  }));

  app.get('/api/editor/recorded-events', async () => ({
    events: recorded.all(RECORDED_EVENT_LIMIT).flatMap((row) => {
      // The row's sequence completes the stored event, as the dispatcher completes it for the router.
      const parsed = routedEventSchema.safeParse({ ...JSON.parse(row.payload), seq: row.seq });
      // Rows written by an older shape of the event are skipped rather than offered half-read.
      if (!parsed.success || parsed.data.type !== 'message.received') return [];
      const event: RoutedEvent = parsed.data;
      const who = parsed.data.facts.contact.name ?? parsed.data.customerWaId;
      const text = parsed.data.text ? `“${parsed.data.text.slice(0, 60)}”` : `(${parsed.data.messageType})`;
      return [
        { messageId: parsed.data.messageId, receivedAt: row.created_at, label: `${who}: ${text}`, event },
      ];
    }),
  }));

  app.post<{ Body: { effect: unknown } }>(
    '/api/editor/dry-run/assign',
    { schema: { body: { type: 'object', required: ['effect'], properties: { effect: {} } } } },
    async (request): Promise<AssignResult> => {
      const parsed = assignEffectSchema.safeParse(request.body.effect);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = ['effect', ...(issue?.path ?? []).map(String)].join('.');
        throw new HttpError(
          400,
          'invalid_request',
          `${field}: ${issue?.message ?? 'not an assign effect'}`,
          field,
        );
      }
      try {
        // The same situation and strategies as a real assignment, without the transaction's writes.
        const situation = loadSituation(statements, parsed.data, Date.now());
        const choice = chooseAgent(situation);
        const explanation = explain(situation, choice);
        return {
          type: 'assign',
          assignmentId: 'dry-run',
          agentId: choice.decidedBy?.chosen?.agentId ?? null,
          explanation,
        };
      } catch (error) {
        if (error instanceof AssignmentError)
          throw new HttpError(422, 'cannot_assign', error.message, 'effect');
        throw error;
      }
    },
  );
};
