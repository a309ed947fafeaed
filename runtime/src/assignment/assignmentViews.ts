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

export const ASSIGNMENT_VIEW_SELECT = `
  SELECT a.id, a.conversation_id, a.agent_id, a.team_id, a.workflow_version_id, a.explanation, a.created_at,
         c.customer_wa_id AS wa_id, ct.name AS contact_name,
         (SELECT m.text FROM messages m WHERE m.conversation_id = a.conversation_id AND m.direction = 'inbound'
           ORDER BY m.sent_at DESC, m.rowid DESC LIMIT 1) AS preview
    FROM assignments a
    JOIN conversations c ON c.id = a.conversation_id
    LEFT JOIN contacts ct ON ct.id = c.contact_id`;

/**
 * Assignments as agents see them: with the customer and the latest inbound text (of texts sent in
 * the same second, the one stored last, as in the inbox: the rowid comes with the conversation's
 * index, where `created_at` had SQLite sort each assignment's messages in a temporary b-tree).
 */
export function createAssignmentViews(db: AppDatabase) {
  const byId = db.$client.prepare<[string], AssignmentRow>(`${ASSIGNMENT_VIEW_SELECT} WHERE a.id = ?`);
  const byIds = db.$client.prepare<[string], AssignmentRow>(
    `${ASSIGNMENT_VIEW_SELECT} WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.rowid`,
  );
  const forAgent = db.$client.prepare<[string, number], AssignmentRow>(
    `${ASSIGNMENT_VIEW_SELECT} WHERE a.agent_id = ? ORDER BY a.created_at DESC, a.id DESC LIMIT ?`,
  );
  return {
    byId(id: string): Assignment | null {
      const row = byId.get(id);
      return row ? toAssignment(row) : null;
    },
    /**
     * The `assignment.created` messages of a batch of new assignments (the pushes after an effect
     * chunk), from one query, oldest first, as JSON: the stored explanation goes in as the text it
     * is, instead of being parsed here and serialized again on its way to the sockets.
     */
    createdMessagesByIds(ids: readonly string[]): AssignmentCreatedJson[] {
      return ids.length === 0 ? [] : byIds.all(JSON.stringify(ids)).map(toCreatedMessageJson);
    },
    forAgent(agentId: string, limit: number): Assignment[] {
      return forAgent.all(agentId, limit).map(toAssignment);
    },
  };
}

export type AssignmentViews = ReturnType<typeof createAssignmentViews>;

export interface AssignmentCreatedJson {
  assignmentId: string;
  agentId: string | null;
  /** `{"type":"assignment.created","assignment":{…}}` */
  json: string;
}

function toAssignment(row: AssignmentRow): Assignment {
  return { ...withoutExplanation(row), explanation: JSON.parse(row.explanation) };
}

function withoutExplanation(row: AssignmentRow): Omit<Assignment, 'explanation'> {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    agentId: row.agent_id,
    teamId: row.team_id,
    workflowVersionId: row.workflow_version_id,
    createdAt: row.created_at,
    customer: { waId: row.wa_id, name: row.contact_name },
    preview: row.preview,
  };
}

function toCreatedMessageJson(row: AssignmentRow): AssignmentCreatedJson {
  const head = JSON.stringify({ type: 'assignment.created', assignment: withoutExplanation(row) });
  // `head` ends with the closing braces of the assignment and of the message; the explanation
  // column holds JSON that JSON.stringify wrote (see assignConversation).
  return {
    assignmentId: row.id,
    agentId: row.agent_id,
    json: `${head.slice(0, -2)},"explanation":${row.explanation}}}`,
  };
}
