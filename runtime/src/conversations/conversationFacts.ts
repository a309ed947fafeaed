import type { ConversationFacts } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';

interface FactsRow {
  id: string;
  business_number_id: string;
  customer_wa_id: string;
  priority: ConversationFacts['priority'];
  tags: string;
  opened_at: number | null;
  created_at: number;
  last_inbound_at: number | null;
  assignee_agent_id: string | null;
  team_id: string | null;
  contact_name: string | null;
  contact_language: string | null;
  contact_fields: string;
}

export interface ConversationSnapshot {
  conversationId: string;
  businessNumberId: string;
  customerWaId: string;
  facts: ConversationFacts;
}

/** The conversation as routed events carry it (see `conversationFactsSchema`). */
export function createConversationFacts(db: AppDatabase) {
  const load = db.$client.prepare<[string], FactsRow>(
    `SELECT c.id, c.business_number_id, c.customer_wa_id, c.priority, c.tags, c.opened_at, c.created_at,
            c.last_inbound_at, c.assignee_agent_id, c.team_id,
            ct.name AS contact_name, ct.language AS contact_language, ct.fields AS contact_fields
       FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = ?`,
  );
  return (conversationId: string): ConversationSnapshot | null => {
    const row = load.get(conversationId);
    if (!row) return null;
    return {
      conversationId: row.id,
      businessNumberId: row.business_number_id,
      customerWaId: row.customer_wa_id,
      facts: {
        tags: JSON.parse(row.tags),
        priority: row.priority,
        openedAt: row.opened_at ?? row.created_at,
        lastInboundAt: row.last_inbound_at,
        assigneeAgentId: row.assignee_agent_id,
        teamId: row.team_id,
        contact: {
          name: row.contact_name,
          language: row.contact_language,
          fields: JSON.parse(row.contact_fields),
        },
      },
    };
  };
}
