import type { Assignment } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';

interface AssignmentRow {
  id: string;
  conversation_id: string;
  agent_id: string | null;
  team_id: string | null;
  workflow_version_id: string;
  explanation: string;
  created_at: number;
  wa_id: string;
  contact_name: string | null;
  preview: string | null;
}

const SELECT_VIEW = `
  SELECT a.id, a.conversation_id, a.agent_id, a.team_id, a.workflow_version_id, a.explanation, a.created_at,
         c.customer_wa_id AS wa_id, ct.name AS contact_name,
         (SELECT m.text FROM messages m WHERE m.conversation_id = a.conversation_id AND m.direction = 'inbound'
           ORDER BY m.sent_at DESC, m.created_at DESC LIMIT 1) AS preview
    FROM assignments a
    JOIN conversations c ON c.id = a.conversation_id
    LEFT JOIN contacts ct ON ct.id = c.contact_id`;

/** Assignments as agents see them: with the customer and the latest inbound text. */
export function createAssignmentViews(db: AppDatabase) {
  const byId = db.$client.prepare<[string], AssignmentRow>(`${SELECT_VIEW} WHERE a.id = ?`);
  const byIds = db.$client.prepare<[string], AssignmentRow>(
    `${SELECT_VIEW} WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.rowid`,
  );
  const forAgent = db.$client.prepare<[string, number], AssignmentRow>(
    `${SELECT_VIEW} WHERE a.agent_id = ? ORDER BY a.created_at DESC, a.id DESC LIMIT ?`,
  );
  return {
    byId(id: string): Assignment | null {
      const row = byId.get(id);
      return row ? toAssignment(row) : null;
    },
    /** One query for a whole batch of new assignments (the pushes after an effect chunk), oldest first. */
    byIds(ids: readonly string[]): Assignment[] {
      return ids.length === 0 ? [] : byIds.all(JSON.stringify(ids)).map(toAssignment);
    },
    forAgent(agentId: string, limit: number): Assignment[] {
      return forAgent.all(agentId, limit).map(toAssignment);
    },
  };
}

export type AssignmentViews = ReturnType<typeof createAssignmentViews>;

function toAssignment(row: AssignmentRow): Assignment {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    agentId: row.agent_id,
    teamId: row.team_id,
    workflowVersionId: row.workflow_version_id,
    explanation: JSON.parse(row.explanation),
    createdAt: row.created_at,
    customer: { waId: row.wa_id, name: row.contact_name },
    preview: row.preview,
  };
}
