import { type AgentReply, agentReplySchema, type OutboundMessage } from '@switchboard/shared';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { roleAllows } from '../../access/routePolicy';
import { errorBody, HttpError } from '../../api/httpError';
import type { AppDatabase } from '../../db/database';
import { customerServiceWindow } from './customerServiceWindow';
import {
  type ApprovedTemplate,
  renderTemplateBody,
  type TemplateStore,
  templateMessage,
} from './messageTemplates';
import { CloudApiUnavailableError, type OutboundSender } from './outboundSender';
import { sendFailureReply } from './sendFailureReply';

export interface OutboundRoutesOptions {
  db: AppDatabase;
  sender: OutboundSender;
  templates: TemplateStore;
}

const conversationParams = {
  type: 'object',
  properties: { conversationId: { type: 'string', minLength: 1 } },
  required: ['conversationId'],
} as const;

/**
 * What an agent does towards the customer: reply (text inside the 24-hour window, an approved
 * template any time), see whether the window is open, and mark the customer's messages read.
 */
export const outboundRoutes: FastifyPluginAsync<OutboundRoutesOptions> = async (app, options) => {
  const sqlite = options.db.$client;
  const lastInbound = sqlite
    .prepare<[string], number | null>(`SELECT last_inbound_at FROM conversations WHERE id = ?`)
    .pluck();
  const agentExists = sqlite.prepare<[string], number>(`SELECT 1 FROM agents WHERE id = ?`).pluck();
  const latestInboundMessage = sqlite
    .prepare<[string], string>(
      `SELECT wa_message_id FROM messages WHERE conversation_id = ? AND direction = 'inbound'
        ORDER BY sent_at DESC, rowid DESC LIMIT 1`,
    )
    .pluck();

  function windowOf(conversationId: string) {
    const last = lastInbound.get(conversationId);
    if (last === undefined) {
      throw new HttpError(
        404,
        'conversation_not_found',
        `no conversation "${conversationId}"`,
        'conversationId',
      );
    }
    return customerServiceWindow(last, Date.now());
  }

  app.get('/api/templates', async () => ({ templates: options.templates.approved() }));

  app.get<{ Params: { conversationId: string } }>(
    '/api/conversations/:conversationId/window',
    { schema: { params: conversationParams } },
    async (request) => windowOf(request.params.conversationId),
  );

  app.post<{ Params: { conversationId: string }; Body: unknown }>(
    '/api/conversations/:conversationId/messages',
    { schema: { params: conversationParams } },
    async (request, reply) => {
      const { conversationId } = request.params;
      const parsed = agentReplySchema.safeParse(request.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || undefined;
        throw new HttpError(400, 'invalid_request', `${field ?? 'body'}: ${issue?.message}`, field);
      }
      const body = parsed.data;
      const actor = request.actor;
      // Signed in, one replies as oneself; managers (and their integrations) may name the author.
      const authorAgentId = body.agentId ?? actor?.agentId ?? null;
      if (actor && authorAgentId !== actor.agentId && !roleAllows(actor.role, 'manager')) {
        throw new HttpError(403, 'forbidden', 'agents reply only as themselves', 'agentId');
      }
      if (authorAgentId && !agentExists.get(authorAgentId)) {
        throw new HttpError(404, 'agent_not_found', `no agent "${authorAgentId}"`, 'agentId');
      }
      const window = windowOf(conversationId);
      const { message, displayText } = outboundMessageOf(body, options.templates);
      const outcome = await sendOrExplain(reply, () =>
        options.sender.send({ conversationId, message, displayText, authorAgentId }),
      );
      if (outcome === null) return reply;
      if (outcome.sent) return reply.status(201).send({ message: outcome.message });
      const failed = sendFailureReply(outcome.failure, body.template ? 'template' : 'text');
      if (outcome.failure.kind === 'outside_window') {
        // What the agent can do instead: the approved templates, and when the window closed.
        return reply
          .status(failed.status)
          .send({ ...failed.body, window, templates: options.templates.approved() });
      }
      return replyWithFailure(reply, failed);
    },
  );

  app.post<{ Params: { conversationId: string }; Body: { messageId?: string } }>(
    '/api/conversations/:conversationId/read',
    {
      schema: {
        params: conversationParams,
        body: {
          type: 'object',
          properties: { messageId: { type: 'string', minLength: 1 } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { conversationId } = request.params;
      windowOf(conversationId);
      const messageId = request.body?.messageId ?? latestInboundMessage.get(conversationId);
      if (!messageId) {
        throw new HttpError(
          409,
          'nothing_to_read',
          'the customer has not written in this conversation',
          'messageId',
        );
      }
      const outcome = await sendOrExplain(reply, () => options.sender.markRead(conversationId, messageId));
      if (outcome === null) return reply;
      if (outcome.ok) return reply.send({ read: messageId });
      return replyWithFailure(reply, sendFailureReply(outcome.failure, 'messageId'));
    },
  );
};

/** The Cloud API message for an agent's reply, and what the inbox shows for it. */
function outboundMessageOf(
  body: AgentReply,
  templates: TemplateStore,
): { message: OutboundMessage; displayText: string | null } {
  if (body.template) {
    const template = templates.find(body.template.name, body.template.language);
    if (!template) {
      throw new HttpError(
        422,
        'template_not_approved',
        `no approved template "${body.template.name}" in ${body.template.language}`,
        'template.name',
      );
    }
    checkVariables(template, body.template.variables);
    return {
      message: templateMessage(template, body.template.variables),
      displayText: renderTemplateBody(template.body, body.template.variables),
    };
  }
  return {
    message: {
      type: 'text',
      text: {
        body: body.text as string,
        ...(body.previewUrl === undefined ? {} : { preview_url: body.previewUrl }),
      },
      ...(body.replyTo ? { context: { message_id: body.replyTo } } : {}),
    },
    displayText: null,
  };
}

function checkVariables(template: ApprovedTemplate, variables: string[]): void {
  if (variables.length !== template.variableCount) {
    throw new HttpError(
      422,
      'template_variables',
      `template "${template.name}" needs ${template.variableCount} variable(s), got ${variables.length}`,
      'template.variables',
    );
  }
}

/** Runs a Cloud API call; an outage or an unreachable API becomes a 503/502 reply (null) instead of a 500. */
async function sendOrExplain<T>(reply: FastifyReply, call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const outage = error instanceof CloudApiUnavailableError;
    reply.log.warn({ err: error }, 'Cloud API call failed');
    void reply
      .status(outage ? 503 : 502)
      .send(
        errorBody(
          outage ? 'whatsapp_unavailable' : 'whatsapp_unreachable',
          outage
            ? (error as Error).message
            : `the Cloud API could not be reached: ${(error as Error).message}`,
        ),
      );
    return null;
  }
}

function replyWithFailure(reply: FastifyReply, failed: ReturnType<typeof sendFailureReply>) {
  const retryAfterMs = (failed.body as { retryAfterMs?: number }).retryAfterMs;
  if (failed.status === 429 && retryAfterMs) reply.header('retry-after', Math.ceil(retryAfterMs / 1000));
  return reply.status(failed.status).send(failed.body);
}
