import type { Duplex } from 'node:stream';
import websocket from '@fastify/websocket';
import { clientSocketMessageSchema, type SocketMessage } from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import type { Actor } from '../access/identities';
import { roleAllows } from '../access/routePolicy';
import type { AppDatabase } from '../db/database';
import type { Visibility } from '../inbox/visibility';
import type { Presence } from '../team/presence';
import { frameText, type LiveHub } from './liveHub';

export interface SocketRoutesOptions {
  db: AppDatabase;
  live: LiveHub;
  visibility: Visibility;
  presence: Presence;
}

/**
 * `/ws[?agentId=…][&since=<seq>]`: the signed-in person's live feed (access control has already
 * required a session or token). Managers may watch another agent's feed with `agentId`; an agent
 * only their own (4403 otherwise). `since` replays what was missed before anything new. Every
 * message is checked against what the viewer may see before it is sent; of a batch of conversation
 * news, only the changes to conversations they may see are sent.
 */
export const socketRoutes: FastifyPluginAsync<SocketRoutesOptions> = async (app, options) => {
  await app.register(websocket);
  const agentExists = options.db.$client
    .prepare<[string], number>(`SELECT 1 FROM agents WHERE id = ?`)
    .pluck();

  app.get('/ws', { websocket: true }, (socket, request) => {
    const actor = request.actor as Actor;
    const query = request.query as Record<string, string | undefined>;
    const agentId = query.agentId || actor.agentId;
    if (!agentExists.get(agentId)) {
      socket.close(4404, `no agent "${agentId}"`);
      return;
    }
    if (agentId !== actor.agentId && !roleAllows(actor.role, 'manager')) {
      socket.close(4403, 'agents may only watch their own feed');
      return;
    }
    const mayReceive = (conversationId: string) => options.visibility(actor, conversationId);
    /** The part of a message the viewer may see; null when that is nothing. */
    const visiblePart = (message: SocketMessage): SocketMessage | null => {
      switch (message.type) {
        case 'hello':
        case 'notification':
        case 'agent.status':
          return message;
        case 'assignment.created':
          return message.assignment.agentId === actor.agentId || mayReceive(message.assignment.conversationId)
            ? message
            : null;
        case 'conversation.updated':
          return mayReceive(message.conversationId) ? message : null;
        case 'conversations.updated': {
          // A batch names each conversation once per change: ask once per conversation.
          const visible = new Map<string, boolean>();
          const changes = message.changes.filter(({ conversationId }) => {
            let may = visible.get(conversationId);
            if (may === undefined) {
              may = mayReceive(conversationId);
              visible.set(conversationId, may);
            }
            return may;
          });
          if (changes.length === message.changes.length) return message;
          return changes.length > 0 ? { ...message, changes } : null;
        }
      }
    };
    // A batch of messages (a router chunk's pushes and news) leaves in one write: the socket is
    // corked at the first message of a turn and uncorked once the turn's publishing is over,
    // instead of one system call per frame.
    const transport = (socket as unknown as { _socket?: Duplex })._socket;
    let corked = false;
    const uncork = () => {
      corked = false;
      transport?.uncork();
    };
    const send = (message: SocketMessage) => {
      const visible = visiblePart(message);
      if (!visible) return;
      if (transport && !corked) {
        corked = true;
        transport.cork();
        process.nextTick(uncork);
      }
      socket.send(visible === message ? frameText(message) : JSON.stringify(visible));
    };

    // better-sqlite3 is synchronous, so nothing can be published between reading the backlog and subscribing.
    send({ type: 'hello', agentId, lastSeq: options.live.lastSeq(agentId) });
    const since = Number(query.since);
    if (Number.isInteger(since) && since >= 0 && query.since !== undefined) {
      for (const missed of options.live.since(agentId, since)) send(missed);
    }
    const unsubscribe = options.live.subscribe(agentId, send);
    socket.on('close', unsubscribe);
    // Presence is best effort: a write that fails (the database busy past every wait) is logged,
    // never thrown from a socket's handlers.
    const presenceFailed = (error: unknown) => request.log.warn({ err: error }, 'presence not recorded');
    if (agentId === actor.agentId) options.presence.active(agentId, Date.now()).catch(presenceFailed);

    socket.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(data));
      } catch {
        parsed = null;
      }
      const message = clientSocketMessageSchema.safeParse(parsed);
      if (!message.success) {
        socket.send(JSON.stringify({ type: 'error', message: 'unrecognised message' }));
        return;
      }
      // Presence is always the sender's own, whoever's feed they are watching.
      switch (message.data.type) {
        case 'activity':
          options.presence.active(actor.agentId, Date.now()).catch(presenceFailed);
          break;
        case 'status':
          options.presence.set(actor.agentId, message.data.status, Date.now()).catch((error: unknown) => {
            presenceFailed(error);
            socket.send(JSON.stringify({ type: 'error', message: 'status not saved; send it again' }));
          });
          break;
      }
    });
  });
};
