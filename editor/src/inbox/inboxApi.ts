import type { AgentReply, ConversationDetail, ConversationSummary, InboxQuery } from '@switchboard/shared';
import { ApiError, getJson, sendJson } from '../api';

export async function fetchInbox(query: InboxQuery, signal?: AbortSignal): Promise<ConversationSummary[]> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const body = await getJson<{ conversations: ConversationSummary[] }>(`/api/inbox?${params}`, signal);
  return body.conversations;
}

export function fetchConversation(conversationId: string, signal?: AbortSignal): Promise<ConversationDetail> {
  return getJson<ConversationDetail>(`/api/conversations/${encodeURIComponent(conversationId)}`, signal);
}

const conversationUrl = (conversationId: string, action = '') =>
  `/api/conversations/${encodeURIComponent(conversationId)}${action ? `/${action}` : ''}`;

export const conversationActions = {
  acknowledge: (id: string) => sendJson('POST', conversationUrl(id, 'acknowledge'), {}),
  close: (id: string) => sendJson('POST', conversationUrl(id, 'close')),
  reopen: (id: string) => sendJson('POST', conversationUrl(id, 'reopen')),
  note: (id: string, text: string) => sendJson('POST', conversationUrl(id, 'notes'), { text }),
  change: (id: string, change: { tags?: string[]; priority?: string }) =>
    sendJson('PATCH', conversationUrl(id), change),
  handOff: (id: string, agentId: string, note: string) =>
    sendJson('POST', conversationUrl(id, 'hand-off'), note ? { agentId, note } : { agentId }),
};

/**
 * The reply service (24-hour window, templates, sending) is a separate part of the runtime; until
 * it is installed its routes answer 404, which the reply box shows as "not available" rather than
 * as an error.
 */
export type ReplyWindow = { open: boolean; expiresAt: number | null };
export type MessageTemplate = { name: string; language: string; category?: string; body?: string };

export async function fetchReplyWindow(conversationId: string): Promise<ReplyWindow | 'unavailable'> {
  try {
    const body = await getJson<Record<string, unknown>>(`${conversationUrl(conversationId, 'window')}`);
    const expiresAt =
      typeof body.expiresAt === 'number'
        ? body.expiresAt
        : typeof body.closesAt === 'number'
          ? body.closesAt
          : null;
    const open = typeof body.open === 'boolean' ? body.open : expiresAt !== null && expiresAt > Date.now();
    return { open, expiresAt };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code === 'not_found') return 'unavailable';
    throw error;
  }
}

export async function fetchTemplates(): Promise<MessageTemplate[] | 'unavailable'> {
  try {
    const body = await getJson<{ templates?: MessageTemplate[] }>('/api/templates');
    return body.templates ?? [];
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return 'unavailable';
    throw error;
  }
}

export function sendReply(
  conversationId: string,
  reply:
    | { type: 'text'; text: string }
    | { type: 'template'; template: { name: string; language: string; variables: string[] } },
) {
  // The reply endpoint takes exactly one of `text` and `template` (shared agentReplySchema), the
  // template's variables in {{1}}, {{2}}… order; the author is the signed-in person.
  const body: AgentReply = reply.type === 'text' ? { text: reply.text } : { template: reply.template };
  return sendJson('POST', conversationUrl(conversationId, 'messages'), body);
}
