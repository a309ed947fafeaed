import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const createdAt = () => integer('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const businessNumbers = sqliteTable('business_numbers', {
  /** Meta's `phone_number_id`. */
  id: text('id').primaryKey(),
  displayPhoneNumber: text('display_phone_number'),
  teamId: text('team_id'),
  workflowId: text('workflow_id'),
  createdAt: createdAt(),
});

export const contacts = sqliteTable('contacts', {
  id: text('id').primaryKey(),
  waId: text('wa_id').notNull().unique(),
  name: text('name'),
  /** BCP 47 code when known (from the contact or set by an agent). */
  language: text('language'),
  fields: text('fields', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
  createdAt: createdAt(),
});

export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    businessNumberId: text('business_number_id').notNull(),
    contactId: text('contact_id').notNull(),
    customerWaId: text('customer_wa_id').notNull(),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    assigneeAgentId: text('assignee_agent_id'),
    teamId: text('team_id'),
    priority: text('priority', { enum: ['low', 'normal', 'high', 'urgent'] })
      .notNull()
      .default('normal'),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    lastInboundAt: integer('last_inbound_at'),
    /** Start of the current open period (set on creation and on reopen). */
    openedAt: integer('opened_at'),
    acknowledgedAt: integer('acknowledged_at'),
    closedAt: integer('closed_at'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('conversations_number_customer').on(table.businessNumberId, table.customerWaId),
    // Finds an agent's open conversations (pages, schedules); assignment reads the agents' counter instead.
    index('conversations_assignee_status').on(table.assigneeAgentId, table.status),
    // The analytics aggregator reads acknowledgements and closes after its high-water mark.
    index('conversations_acknowledged_at').on(table.acknowledgedAt),
    index('conversations_closed_at').on(table.closedAt),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    /** Meta's `wamid.…`; the unique key that makes redeliveries harmless. */
    waMessageId: text('wa_message_id').notNull().unique(),
    conversationId: text('conversation_id').notNull(),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    type: text('type').notNull(),
    text: text('text'),
    payload: text('payload', { mode: 'json' }).notNull(),
    sentAt: integer('sent_at').notNull(),
    /** Outbound only: sent → delivered → read, or failed; never moves backwards (statuses arrive unordered). */
    status: text('status', { enum: ['sent', 'delivered', 'read', 'failed'] }),
    statusAt: integer('status_at'),
    /** The Cloud API `errors` of a failed status. */
    statusErrors: text('status_errors', { mode: 'json' }),
    /** Inbound media: Meta's media id, fetched through the Graph API only when someone opens it. */
    mediaId: text('media_id'),
    mediaMimeType: text('media_mime_type'),
    mediaSha256: text('media_sha256'),
    mediaFilename: text('media_filename'),
    /** The `wamid` this message replies to (its `context.id`). */
    replyToWaMessageId: text('reply_to_wa_message_id'),
    /** Outbound replies an agent wrote; null for inbound messages and for workflow sends. */
    authorAgentId: text('author_agent_id'),
    createdAt: createdAt(),
  },
  (table) => [index('messages_conversation').on(table.conversationId, table.sentAt)],
);

/** Every webhook POST as received, byte for byte, before anything is derived from it. */
export const webhookEvents = sqliteTable('webhook_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  bodySha256: text('body_sha256').notNull().unique(),
  body: text('body').notNull(),
  signature: text('signature').notNull(),
  receivedAt: integer('received_at').notNull(),
});

/**
 * What a webhook told us besides messages and statuses, kept queryable next to the raw body:
 * value-level errors, changes of other fields (template status updates, account updates...), and
 * messages that could not be stored (malformed, or storing them failed) so that none is lost silently.
 */
export const webhookNotices = sqliteTable(
  'webhook_notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    webhookEventId: integer('webhook_event_id').notNull(),
    kind: text('kind', { enum: ['value_errors', 'other_field', 'message_rejected'] }).notNull(),
    field: text('field').notNull(),
    businessNumberId: text('business_number_id'),
    /** The errors, the change's value, or the rejected message with the reason. */
    detail: text('detail', { mode: 'json' }).notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (table) => [index('webhook_notices_event').on(table.webhookEventId)],
);

/** Routable events waiting for the dispatcher; `seq` is the order router shards see them in. */
export const outbox = sqliteTable(
  'outbox',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id').notNull(),
    shard: integer('shard').notNull(),
    payload: text('payload', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
    dispatchedAt: integer('dispatched_at'),
  },
  (table) => [
    index('outbox_pending').on(table.dispatchedAt, table.seq),
    // Shadow replay and re-drive read a time range of recorded events.
    index('outbox_created').on(table.createdAt),
  ],
);

export const agents = sqliteTable('agents', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  status: text('status', { enum: ['online', 'away', 'offline'] })
    .notNull()
    .default('offline'),
  timeZone: text('time_zone').notNull().default('UTC'),
  capacity: integer('capacity').notNull().default(5),
  role: text('role', { enum: ['admin', 'manager', 'agent'] })
    .notNull()
    .default('agent'),
  /** Weekly shift in the agent's time zone: days 0 (Sunday)–6, times "HH:MM". Empty: always on shift. */
  shifts: text('shifts', { mode: 'json' })
    .$type<{ day: number; start: string; end: string }[]>()
    .notNull()
    .default([]),
  skills: text('skills', { mode: 'json' }).$type<{ skill: string; level: number }[]>().notNull().default([]),
  /** BCP 47 codes the agent answers in. */
  languages: text('languages', { mode: 'json' }).$type<string[]>().notNull().default([]),
  /** Days off as "YYYY-MM-DD" in the agent's time zone: off shift all day. */
  holidays: text('holidays', { mode: 'json' }).$type<string[]>().notNull().default([]),
  /** argon2id (PHC string); null: the person cannot sign in with a password. */
  passwordHash: text('password_hash'),
  /** Last sign of life from one of the agent's pages; online agents idle past the limit become away. */
  lastActiveAt: integer('last_active_at'),
  notificationPreferences: text('notification_preferences', { mode: 'json' })
    .$type<{
      onlyMineAndMentions: boolean;
      quietHours: { start: string; end: string } | null;
      digestEveryMinutes: number | null;
    }>()
    .notNull()
    .default({ onlyMineAndMentions: false, quietHours: null, digestEveryMinutes: null }),
  lastDigestAt: integer('last_digest_at'),
  /** Deactivated people keep their history but cannot sign in and are never assigned. */
  deactivatedAt: integer('deactivated_at'),
  /**
   * Open conversations this agent owns. Kept by triggers on `conversations` (migration 0010), so no
   * writer can forget it: counting them on every assignment cost ~0.7 ms per conversation once
   * agents own thousands.
   */
  openConversations: integer('open_conversations').notNull().default(0),
  createdAt: createdAt(),
});

/** A signed-in browser. The cookie holds the token; only its SHA-256 is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    agentId: text('agent_id').notNull(),
    /** Double-submit CSRF token: readable by the page (cookie), echoed in a header on every mutation. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (table) => [index('sessions_agent').on(table.agentId)],
);

/** Bearer tokens for integrations; each acts as the person it belongs to. Only the SHA-256 is stored. */
export const apiTokens = sqliteTable('api_tokens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  agentId: text('agent_id').notNull(),
  createdBy: text('created_by'),
  lastUsedAt: integer('last_used_at'),
  revokedAt: integer('revoked_at'),
  createdAt: integer('created_at').notNull(),
});

/** Who changed what: one row per mutating API request that got past access control. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actorAgentId: text('actor_agent_id'),
    /** 'session', 'token:<id>' or 'anonymous' (sign-in attempts). */
    via: text('via').notNull(),
    method: text('method').notNull(),
    route: text('route').notNull(),
    params: text('params', { mode: 'json' }),
    /** The request body with secrets (passwords, tokens) replaced by "[redacted]". */
    body: text('body', { mode: 'json' }),
    statusCode: integer('status_code').notNull(),
    at: integer('at').notNull(),
  },
  (table) => [index('audit_log_at').on(table.at)],
);

/**
 * New messages and delivery statuses, whoever wrote them (webhook intake, the sender, a reply
 * route): filled by triggers on `messages` (see migration 0013), drained into live updates.
 */
export const messageChanges = sqliteTable('message_changes', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  conversationId: text('conversation_id').notNull(),
  change: text('change', { enum: ['message', 'messageStatus'] }).notNull(),
});

/**
 * Everything pushed to one person over the socket, numbered: a page that reconnects asks for what
 * came after the last number it saw, so nothing is missed.
 */
export const liveEvents = sqliteTable(
  'live_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    agentId: text('agent_id').notNull(),
    message: text('message').notNull(),
    createdAt: integer('created_at').notNull(),
    /**
     * Set for messages that must reach a person once however often they are published (an
     * assignment, published again when its activity runs again): a second one is neither stored nor sent.
     */
    onceKey: text('once_key'),
  },
  (table) => [
    index('live_events_agent').on(table.agentId, table.seq),
    uniqueIndex('live_events_once').on(table.onceKey).where(sql`${table.onceKey} IS NOT NULL`),
  ],
);

export const teams = sqliteTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  leadAgentId: text('lead_agent_id'),
  createdAt: createdAt(),
});

export const teamMembers = sqliteTable(
  'team_members',
  {
    teamId: text('team_id').notNull(),
    agentId: text('agent_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.agentId] })],
);

/** The round-robin pointer, shared by every shard: the last agent a team handed a conversation to. */
export const teamRotation = sqliteTable('team_rotation', {
  teamId: text('team_id').primaryKey(),
  lastAgentId: text('last_agent_id'),
});

/**
 * Every change to what the assignment engine weighs about a person (status, capacity, skills, shifts,
 * time zone, holidays, teams, being active), as the whole picture after the change. Appended in the
 * transaction that makes the change, so shadow replay can rebuild who was available at any moment.
 */
export const agentAvailabilityChanges = sqliteTable(
  'agent_availability_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agentId: text('agent_id').notNull(),
    changedAt: integer('changed_at').notNull(),
    cause: text('cause', {
      enum: [
        'baseline',
        'status',
        'activity',
        'idle',
        'profile',
        'teams',
        'created',
        'deactivated',
        'reactivated',
      ],
    }).notNull(),
    status: text('status', { enum: ['online', 'away', 'offline'] }).notNull(),
    capacity: integer('capacity').notNull(),
    timeZone: text('time_zone').notNull(),
    shifts: text('shifts', { mode: 'json' }).$type<{ day: number; start: string; end: string }[]>().notNull(),
    skills: text('skills', { mode: 'json' }).$type<{ skill: string; level: number }[]>().notNull(),
    holidays: text('holidays', { mode: 'json' }).$type<string[]>().notNull(),
    teamIds: text('team_ids', { mode: 'json' }).$type<string[]>().notNull(),
    active: integer('active', { mode: 'boolean' }).notNull(),
  },
  (table) => [
    index('agent_availability_changes_agent').on(table.agentId, table.changedAt),
    index('agent_availability_changes_changed_at').on(table.changedAt),
  ],
);

export const workflows = sqliteTable('workflows', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status', { enum: ['draft', 'published', 'archived'] })
    .notNull()
    .default('draft'),
  publishedVersionId: text('published_version_id'),
  createdAt: createdAt(),
  updatedAt: integer('updated_at').notNull(),
  /** What the editor is drawing; null until the first save (the editor starts from the published graph). */
  draftGraph: text('draft_graph', { mode: 'json' }),
  /** Bumped by every draft save; a save naming an older revision is refused (two editors, one workflow). */
  draftRevision: integer('draft_revision').notNull().default(0),
  lastEditedBy: text('last_edited_by'),
  lastEditedAt: integer('last_edited_at'),
});

export const workflowVersions = sqliteTable(
  'workflow_versions',
  {
    id: text('id').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    number: integer('number').notNull(),
    graph: text('graph', { mode: 'json' }).notNull(),
    contentHash: text('content_hash').notNull(),
    note: text('note').notNull().default(''),
    publishedBy: text('published_by'),
    publishedAt: integer('published_at').notNull(),
    /**
     * What executions already running on older versions were asked to do when this one was
     * published: stay on their version until done, or move here at their next safe point.
     */
    runningExecutions: text('running_executions', { enum: ['stay', 'move_at_safe_point'] })
      .notNull()
      .default('stay'),
  },
  (table) => [uniqueIndex('workflow_versions_number').on(table.workflowId, table.number)],
);

export const executions = sqliteTable(
  'executions',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id').notNull(),
    workflowVersionId: text('workflow_version_id').notNull(),
    /** `cancelled` / `terminated`: stopped by an admin (see the README for the difference). */
    status: text('status', {
      enum: ['running', 'waiting', 'completed', 'failed', 'cancelled', 'terminated'],
    }).notNull(),
    startedAt: integer('started_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    index('executions_conversation').on(table.conversationId),
    // The execution explorer lists newest first, filtered by version.
    index('executions_version_started').on(table.workflowVersionId, table.startedAt),
  ],
);

export const executionSteps = sqliteTable(
  'execution_steps',
  {
    /** `${executionId}:${nodeId}:${visit}:${status}`: a retried activity records a step once. */
    key: text('key').primaryKey(),
    executionId: text('execution_id').notNull(),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    status: text('status').notNull(),
    output: text('output'),
    error: text('error'),
    /** What made the node act (event, deadline or effect result), as the interpreter describes it. */
    cause: text('cause'),
    at: integer('at').notNull(),
  },
  (table) => [index('execution_steps_execution').on(table.executionId, table.at)],
);

export const assignments = sqliteTable(
  'assignments',
  {
    id: text('id').primaryKey(),
    /** Effect key (execution, node, visit): a retried assign activity finds its earlier decision. */
    effectKey: text('effect_key').notNull().unique(),
    conversationId: text('conversation_id').notNull(),
    agentId: text('agent_id'),
    teamId: text('team_id'),
    workflowVersionId: text('workflow_version_id').notNull(),
    executionId: text('execution_id').notNull(),
    nodeId: text('node_id').notNull(),
    explanation: text('explanation', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    index('assignments_agent').on(table.agentId, table.createdAt),
    index('assignments_conversation').on(table.conversationId),
  ],
);

/**
 * Results of effects other than assign, by effect key: a retried activity returns the stored
 * result instead of tagging, noting, notifying or calling out a second time.
 */
export const effectResults = sqliteTable('effect_results', {
  key: text('key').primaryKey(),
  type: text('type').notNull(),
  conversationId: text('conversation_id').notNull(),
  result: text('result', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
});

export const notes = sqliteTable(
  'notes',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id').notNull(),
    /** Null for notes written by a workflow. */
    authorAgentId: text('author_agent_id'),
    text: text('text').notNull(),
    mentions: text('mentions', { mode: 'json' }).$type<string[]>().notNull().default([]),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('notes_conversation').on(table.conversationId, table.createdAt)],
);

export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    agentId: text('agent_id').notNull(),
    conversationId: text('conversation_id'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    channel: text('channel', { enum: ['in_app', 'email', 'slack'] }).notNull(),
    /** Why this person hears of it: their own conversation, a mention, or a broadcast (team, role). */
    reason: text('reason', { enum: ['mine', 'mention', 'other'] })
      .notNull()
      .default('other'),
    /** Held back by quiet hours or a digest preference; sent later in a digest. */
    heldAt: integer('held_at'),
    deliveredAt: integer('delivered_at'),
    readAt: integer('read_at'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('notifications_agent').on(table.agentId, table.createdAt)],
);

/**
 * One row per run of a workflow's schedule (one cron time, or a manual trigger). The key is the
 * Temporal workflow id of the run, so a retried activity does not queue the sweep a second time.
 */
export const scheduleRuns = sqliteTable('schedule_runs', {
  runKey: text('run_key').primaryKey(),
  workflowId: text('workflow_id').notNull(),
  workflowVersionId: text('workflow_version_id').notNull(),
  triggerNodeId: text('trigger_node_id').notNull(),
  scheduledAt: integer('scheduled_at').notNull(),
  /** Conversations that got a `schedule.fired` event. */
  conversations: integer('conversations').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * A router shard's carried state, in pages, between two runs (continue-as-new). Too large for one
 * Temporal payload once a shard holds thousands of live conversations.
 */
export const shardCheckpoints = sqliteTable(
  'shard_checkpoints',
  {
    runId: text('run_id').notNull(),
    page: integer('page').notNull(),
    content: text('content').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.runId, table.page] }),
    index('shard_checkpoints_created').on(table.createdAt),
  ],
);

/**
 * Facts fixed when a data directory is first used. `shard_count`: a conversation's shard is its
 * hash modulo the count, so the count routes every later event of the directory's conversations.
 */
export const deploymentSettings = sqliteTable('deployment_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * A router shard about to continue as new asks the dispatcher to stop signalling it until `until`:
 * Temporal refuses continue-as-new while a signal waits, and under a steady stream of signals the
 * shard retried for minutes. The next run deletes the row as soon as it starts.
 * `acknowledged_at`: set by the dispatcher once no signal it sent before seeing the hold is still
 * on its way (a drain that read the holds just before this row was written still sends to the shard).
 */
export const shardHolds = sqliteTable('shard_holds', {
  shard: integer('shard').primaryKey(),
  runId: text('run_id').notNull(),
  until: integer('until').notNull(),
  acknowledgedAt: integer('acknowledged_at'),
});

/**
 * An admin's cancel or terminate, kept until the shard has applied it: a signal that reached a
 * shard run while it continued as new is in neither run's state, so every run that starts from a
 * checkpoint reads its shard's rows (since the `stop-requests-from-database` patch). A row is gone
 * once the shard writes the execution's end, by the stop or because it finished first.
 */
export const executionStopRequests = sqliteTable(
  'execution_stop_requests',
  {
    executionId: text('execution_id').primaryKey(),
    conversationId: text('conversation_id').notNull(),
    shard: integer('shard').notNull(),
    mode: text('mode', { enum: ['cancel', 'terminate'] }).notNull(),
    requestedBy: text('requested_by'),
    requestedAt: integer('requested_at').notNull(),
  },
  (table) => [index('execution_stop_requests_shard').on(table.shard)],
);

/**
 * Message templates approved by Meta for the business account: the only messages that may open a
 * conversation or reach a customer outside the 24-hour window. `body` keeps Meta's {{1}}, {{2}}…
 */
export const messageTemplates = sqliteTable(
  'message_templates',
  {
    name: text('name').notNull(),
    language: text('language').notNull(),
    category: text('category', { enum: ['marketing', 'utility', 'authentication'] }).notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: ['approved', 'pending', 'rejected', 'paused'] })
      .notNull()
      .default('approved'),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.name, table.language] })],
);

/**
 * Send pacing shared by every process that sends (the API and the router worker): per key (a
 * business number, or a number and a recipient) the theoretical arrival time of the next message,
 * as the generic cell rate algorithm keeps it.
 */
export const sendPacing = sqliteTable('send_pacing', {
  key: text('key').primaryKey(),
  theoreticalArrivalAt: integer('theoretical_arrival_at').notNull(),
});

/**
 * Statuses whose `wamid` is not stored yet: Meta's "sent" may overtake the commit of the send that
 * got that id. They are applied as soon as the message is stored, and forgotten after a day (a
 * number shared with another tool gets statuses of messages Switchboard never sent).
 */
export const unmatchedStatuses = sqliteTable(
  'unmatched_statuses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    waMessageId: text('wa_message_id').notNull(),
    status: text('status', { mode: 'json' }).notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (table) => [index('unmatched_statuses_message').on(table.waMessageId)],
);

/** A shadow replay: recorded events re-run in dry-run through another graph; a background job. */
export const replayRuns = sqliteTable('replay_runs', {
  id: text('id').primaryKey(),
  workflowId: text('workflow_id').notNull(),
  /** The published version replayed against; null for a draft graph. */
  targetVersionId: text('target_version_id'),
  /** The graph replayed against (a copy, so a draft can change afterwards). */
  targetGraph: text('target_graph', { mode: 'json' }).notNull(),
  fromTime: integer('from_time').notNull(),
  toTime: integer('to_time').notNull(),
  status: text('status', { enum: ['queued', 'running', 'completed', 'cancelled', 'failed'] }).notNull(),
  totalEvents: integer('total_events').notNull().default(0),
  processedEvents: integer('processed_events').notNull().default(0),
  totals: text('totals', { mode: 'json' }),
  error: text('error'),
  createdAt: integer('created_at').notNull(),
  finishedAt: integer('finished_at'),
});

/** One conversation's outcome in a shadow replay: recorded version vs target. */
export const replayConversations = sqliteTable(
  'replay_conversations',
  {
    runId: text('run_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    changed: integer('changed', { mode: 'boolean' }).notNull(),
    result: text('result', { mode: 'json' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.runId, table.conversationId] })],
);

/** Recorded events processed again by a re-drive; one row each, so a second re-drive skips them. */
export const redrives = sqliteTable('redrives', {
  originalSeq: integer('original_seq').primaryKey(),
  conversationId: text('conversation_id').notNull(),
  /** The outbox row that carries the event again. */
  redriveSeq: integer('redrive_seq').notNull(),
  workflowVersionId: text('workflow_version_id'),
  requestedBy: text('requested_by'),
  requestedAt: integer('requested_at').notNull(),
});

export const slaPolicies = sqliteTable('sla_policies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** `SlaMatch`: priority, team, tag, business number; an omitted criterion matches anything. */
  match: text('match', { mode: 'json' }).notNull(),
  firstResponseMinutes: integer('first_response_minutes'),
  nextResponseMinutes: integer('next_response_minutes'),
  resolutionMinutes: integer('resolution_minutes'),
  /** `BusinessHoursConfig`; null: calendar time. */
  businessHours: text('business_hours', { mode: 'json' }),
  warnAtPercent: integer('warn_at_percent').notNull().default(80),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Each SLA clock of a conversation's open period, as last evaluated. `nextCheckAt` is when the
 * scheduler must look again (warning, due time or window close); the emitted-at columns make each
 * alert go into the outbox once.
 */
export const slaClocks = sqliteTable(
  'sla_clocks',
  {
    conversationId: text('conversation_id').notNull(),
    openedAt: integer('opened_at').notNull(),
    measure: text('measure', { enum: ['first_response', 'next_response', 'resolution'] }).notNull(),
    cycle: integer('cycle').notNull(),
    policyId: text('policy_id').notNull(),
    state: text('state', { enum: ['running', 'paused', 'met', 'breached', 'window_closed'] }).notNull(),
    startedAt: integer('started_at').notNull(),
    targetMs: integer('target_ms').notNull(),
    elapsedMs: integer('elapsed_ms').notNull(),
    warnAt: integer('warn_at'),
    dueAt: integer('due_at'),
    stoppedAt: integer('stopped_at'),
    nextCheckAt: integer('next_check_at'),
    warningSentAt: integer('warning_sent_at'),
    breachSentAt: integer('breach_sent_at'),
    /** When the outcome (met / breached) went into the rollups; counted once. */
    countedAt: integer('counted_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.openedAt, table.measure, table.cycle] }),
    index('sla_clocks_next_check').on(table.nextCheckAt),
  ],
);

/**
 * Hourly sums per single dimension: `dimension` is 'all' (value ''), 'agent', 'team', 'number',
 * 'version' or 'tag'. A fact is written once for 'all' and once per dimension value it has (each tag
 * of its conversation), so a filter reads only its own rows: at most one per hour in range, however
 * many messages there are.
 */
export const analyticsHourly = sqliteTable(
  'analytics_hourly',
  {
    dimension: text('dimension', { enum: ['all', 'agent', 'team', 'number', 'version', 'tag'] }).notNull(),
    value: text('value').notNull(),
    bucket: integer('bucket').notNull(),
    inbound: integer('inbound').notNull().default(0),
    outbound: integer('outbound').notNull().default(0),
    opened: integer('opened').notNull().default(0),
    closed: integer('closed').notNull().default(0),
    firstResponses: integer('first_responses').notNull().default(0),
    firstResponseMs: integer('first_response_ms').notNull().default(0),
    responses: integer('responses').notNull().default(0),
    responseMs: integer('response_ms').notNull().default(0),
    resolutions: integer('resolutions').notNull().default(0),
    resolutionMs: integer('resolution_ms').notNull().default(0),
    acknowledgements: integer('acknowledgements').notNull().default(0),
    acknowledgementMs: integer('acknowledgement_ms').notNull().default(0),
    assignments: integer('assignments').notNull().default(0),
    reassignments: integer('reassignments').notNull().default(0),
    slaMet: integer('sla_met').notNull().default(0),
    slaBreached: integer('sla_breached').notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.dimension, table.value, table.bucket] }),
    // Workload per agent or team reads every value of one dimension over a range of hours: covering,
    // so those thousands of rows never need a look-up in the table.
    index('analytics_hourly_workload').on(
      table.dimension,
      table.bucket,
      table.value,
      table.assignments,
      table.reassignments,
    ),
  ],
);

export const analyticsEscalations = sqliteTable(
  'analytics_escalations',
  {
    dimension: text('dimension', { enum: ['all', 'agent', 'team', 'number', 'version', 'tag'] }).notNull(),
    value: text('value').notNull(),
    bucket: integer('bucket').notNull(),
    reason: text('reason').notNull(),
    count: integer('count').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.dimension, table.value, table.bucket, table.reason] })],
);

/** What the aggregator remembers per conversation between facts (who answered last, since when it waits). */
export const analyticsConversations = sqliteTable('analytics_conversations', {
  conversationId: text('conversation_id').primaryKey(),
  openedAt: integer('opened_at'),
  /** The customer's first unanswered message, null when we spoke last. */
  waitingSince: integer('waiting_since'),
  firstResponseAt: integer('first_response_at'),
  lastAssignedAgentId: text('last_assigned_agent_id'),
  acknowledgedAt: integer('acknowledged_at'),
  closedAt: integer('closed_at'),
});

/** High-water marks of the incremental aggregator, one per source. */
export const analyticsProgress = sqliteTable('analytics_progress', {
  source: text('source').primaryKey(),
  highWater: integer('high_water').notNull(),
});

/** Weekly or monthly report e-mails. `lastPeriod` is the period last sent ("2026-W23", "2026-06"). */
export const analyticsReports = sqliteTable('analytics_reports', {
  id: text('id').primaryKey(),
  email: text('email').notNull(),
  period: text('period', { enum: ['weekly', 'monthly'] }).notNull(),
  timeZone: text('time_zone').notNull(),
  filters: text('filters', { mode: 'json' }).notNull(),
  lastPeriod: text('last_period'),
  createdAt: integer('created_at').notNull(),
});
