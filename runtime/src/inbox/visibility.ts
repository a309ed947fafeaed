import type { Actor } from '../access/identities';
import { roleAllows } from '../access/routePolicy';
import type { AppDatabase } from '../db/database';

/**
 * Whether a person may see a conversation. Managers and admins see everything; an agent sees what is
 * theirs, what belongs to one of their teams (by the conversation's team, or else its business
 * number's), and conversations where a note mentions them. The HTTP routes and the socket both ask here.
 */
export function createVisibility(db: AppDatabase) {
  const visibleToAgent = db.$client
    .prepare<{ conversationId: string; agentId: string }, number>(
      `SELECT 1 FROM conversations c LEFT JOIN business_numbers b ON b.id = c.business_number_id
        WHERE c.id = @conversationId AND (
          c.assignee_agent_id = @agentId
          OR coalesce(c.team_id, b.team_id) IN (SELECT team_id FROM team_members WHERE agent_id = @agentId)
          OR EXISTS (SELECT 1 FROM notes n, json_each(n.mentions) m
                      WHERE n.conversation_id = c.id AND m.value = @agentId))`,
    )
    .pluck();

  return function canSee(actor: Pick<Actor, 'agentId' | 'role'>, conversationId: string): boolean {
    if (roleAllows(actor.role, 'manager')) return true;
    return visibleToAgent.get({ conversationId, agentId: actor.agentId }) === 1;
  };
}

export type Visibility = ReturnType<typeof createVisibility>;
