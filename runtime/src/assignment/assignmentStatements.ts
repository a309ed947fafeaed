import { deepFreeze } from '@switchboard/nodes';
import type { AppDatabase } from '../db/database';
import type { agents } from '../db/schema';

type AgentRecord = typeof agents.$inferSelect;

/** An agent as the engine weighs them: who they are, when they work, what they know, how busy they are. */
export type AgentForAssignment = Pick<
  AgentRecord,
  'id' | 'name' | 'status' | 'capacity' | 'timeZone' | 'shifts' | 'skills' | 'holidays'
> & {
  /** Open conversations they own, not counting the one being assigned. */
  openConversations: number;
};

type AgentRow = Omit<AgentForAssignment, 'shifts' | 'skills' | 'holidays'> & {
  shifts: string;
  skills: string;
  holidays: string;
};

export interface TeamRecord {
  id: string;
  name: string;
  leadAgentId: string | null;
}

export interface EarlierDecision {
  id: string;
  agentId: string | null;
  explanation: string;
}

export interface AssignmentRecord {
  id: string;
  effectKey: string;
  conversationId: string;
  agentId: string | null;
  teamId: string | null;
  workflowVersionId: string;
  executionId: string;
  nodeId: string;
  explanation: string;
  createdAt: number;
}

const AGENT_COLUMNS = `a.id, a.name, a.status, a.capacity, a.time_zone AS timeZone, a.shifts, a.skills, a.holidays,
  a.open_conversations AS openConversations`;

/**
 * What one write transaction has read of teams, their rosters and rotation pointers, and every
 * open-conversation count it has read since: an effect batch assigns dozens of conversations to
 * the same team in one transaction, and re-reading the team's members for each was the router
 * worker's costliest statement (41 µs of SQLite per assignment in a `steady2000` run). Inside the
 * transaction no other connection writes, so what it read stays true except for its own writes:
 * a change of owner moves the counts as the `conversations_open_count_update` trigger does, a move
 * of the rotation updates the pointer, and anything else that may touch them (a status change, a
 * decision rolled back to its savepoint) forgets it all.
 */
interface TransactionMemo {
  teams: Map<string, TeamRecord | null>;
  /** Each team's members as read, their counts as they were then (see `openCounts`). */
  rosters: Map<string, AgentForAssignment[]>;
  /** Open conversations per agent now, in this transaction, for every agent a roster holds. */
  openCounts: Map<string, number>;
  pointers: Map<string, string | null>;
  /** Each conversation's owner while it is open (null: open, nobody's), undefined when not open. */
  openOwners: Map<string, string | null | undefined>;
}

function emptyMemo(): TransactionMemo {
  return {
    teams: new Map(),
    rosters: new Map(),
    openCounts: new Map(),
    pointers: new Map(),
    openOwners: new Map(),
  };
}

/** Every statement the assignment engine runs, prepared once per connection. */
export function prepareAssignmentStatements(db: AppDatabase) {
  const sqlite = db.$client;
  const earlierDecision = sqlite.prepare<[string], EarlierDecision>(
    `SELECT id, agent_id AS agentId, explanation FROM assignments WHERE effect_key = ?`,
  );
  const team = sqlite.prepare<[string], TeamRecord>(
    `SELECT id, name, lead_agent_id AS leadAgentId FROM teams WHERE id = ?`,
  );
  // Ordered by the membership's key, which is the agent's id: the rows come off the index in order
  // (ordered by a.id, SQLite sorted them in a temporary b-tree on every assignment).
  const teamMembers = sqlite.prepare<[string], AgentRow>(
    `SELECT ${AGENT_COLUMNS} FROM team_members m JOIN agents a ON a.id = m.agent_id
      WHERE m.team_id = ? AND a.deactivated_at IS NULL ORDER BY m.agent_id`,
  );
  const agent = sqlite.prepare<[string], AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents a WHERE a.id = ?`);
  // The conversation being assigned does not count against anyone: when a reopened conversation
  // goes back to its owner, it must not make them look one conversation busier than they are. The
  // count itself is the counter the triggers keep; the correction is this one lookup per call
  // (a subquery per agent row cost a lookup per team member).
  const openOwner = sqlite
    .prepare<[string], string | null>(
      `SELECT assignee_agent_id FROM conversations WHERE id = ? AND status = 'open'`,
    )
    .pluck();
  const withLoad = (row: AgentRow, ownerId: string | null | undefined): AgentForAssignment => {
    const parsed = parseAgent(row);
    if (row.id === ownerId) parsed.openConversations -= 1;
    return parsed;
  };
  const previousOwner = sqlite
    .prepare<[{ conversationId: string }], string | null>(
      `SELECT coalesce(
         (SELECT assignee_agent_id FROM conversations WHERE id = @conversationId),
         (SELECT agent_id FROM assignments WHERE conversation_id = @conversationId AND agent_id IS NOT NULL
           ORDER BY created_at DESC, rowid DESC LIMIT 1))`,
    )
    .pluck();
  const rotationPointer = sqlite
    .prepare<[string], string | null>(`SELECT last_agent_id FROM team_rotation WHERE team_id = ?`)
    .pluck();
  const moveRotation = sqlite.prepare<[string, string]>(
    `INSERT INTO team_rotation (team_id, last_agent_id) VALUES (?, ?)
     ON CONFLICT (team_id) DO UPDATE SET last_agent_id = excluded.last_agent_id`,
  );
  // A specific agent asked for without a team keeps the conversation in the team it was in.
  const setOwner = sqlite.prepare<[string, string | null, string]>(
    `UPDATE conversations SET assignee_agent_id = ?, team_id = coalesce(?, team_id) WHERE id = ?`,
  );
  const insertAssignment = sqlite.prepare<[AssignmentRecord]>(
    `INSERT INTO assignments
       (id, effect_key, conversation_id, agent_id, team_id, workflow_version_id, execution_id, node_id, explanation, created_at)
     VALUES (@id, @effectKey, @conversationId, @agentId, @teamId, @workflowVersionId, @executionId, @nodeId,
             @explanation, @createdAt)`,
  );

  /** Set while the caller's transaction lets reads be remembered (see `withinMemo`). */
  let memo: TransactionMemo | null = null;

  function memoized<K, V>(map: Map<K, V>, key: K, read: () => V): V {
    if (map.has(key)) return map.get(key) as V;
    const value = read();
    map.set(key, value);
    return value;
  }

  const openOwnerOf = (conversationId: string): string | null | undefined =>
    memo
      ? memoized(memo.openOwners, conversationId, () => openOwner.get(conversationId))
      : openOwner.get(conversationId);

  function rosterInMemo(current: TransactionMemo, teamId: string, ownerId: string | null | undefined) {
    const roster = memoized(current.rosters, teamId, () =>
      teamMembers.all(teamId).map((row) => {
        const parsed = parseAgent(row);
        // An agent of two teams read before keeps the count this transaction moved since.
        if (!current.openCounts.has(parsed.id)) current.openCounts.set(parsed.id, parsed.openConversations);
        return parsed;
      }),
    );
    return roster.map((member) => {
      const open = (current.openCounts.get(member.id) as number) - (member.id === ownerId ? 1 : 0);
      return open === member.openConversations ? member : { ...member, openConversations: open };
    });
  }

  /** A change of owner, in the counts as the trigger makes it in the table. */
  function ownerChangedInMemo(
    current: TransactionMemo,
    conversationId: string,
    before: string | null | undefined,
    after: string,
  ) {
    // Not open: the trigger counts nothing; the same owner again: it does not fire.
    if (before === undefined || before === after) return;
    const moveCount = (agentId: string, by: number) => {
      const count = current.openCounts.get(agentId);
      if (count !== undefined) current.openCounts.set(agentId, count + by);
    };
    if (before !== null) moveCount(before, -1);
    moveCount(after, 1);
    current.openOwners.set(conversationId, after);
  }

  return {
    earlierDecision: (effectKey: string) => earlierDecision.get(effectKey) ?? null,
    team: (teamId: string) =>
      memo ? memoized(memo.teams, teamId, () => team.get(teamId) ?? null) : (team.get(teamId) ?? null),
    teamMembers: (teamId: string, conversationId: string) => {
      const ownerId = openOwnerOf(conversationId);
      if (memo) return rosterInMemo(memo, teamId, ownerId);
      return teamMembers.all(teamId).map((row) => withLoad(row, ownerId));
    },
    agent: (agentId: string, conversationId: string) => {
      const row = agent.get(agentId);
      return row ? withLoad(row, openOwnerOf(conversationId)) : null;
    },
    previousOwnerId: (conversationId: string) => previousOwner.get({ conversationId }) ?? null,
    rotationPointer: (teamId: string) =>
      memo
        ? memoized(memo.pointers, teamId, () => rotationPointer.get(teamId) ?? null)
        : (rotationPointer.get(teamId) ?? null),
    moveRotation: (teamId: string, agentId: string) => {
      moveRotation.run(teamId, agentId);
      memo?.pointers.set(teamId, agentId);
    },
    setOwner: (conversationId: string, agentId: string, teamId: string | null) => {
      const before = memo ? openOwnerOf(conversationId) : undefined;
      setOwner.run(agentId, teamId, conversationId);
      if (memo) ownerChangedInMemo(memo, conversationId, before, agentId);
    },
    insertAssignment: (record: AssignmentRecord) => insertAssignment.run(record),
    /**
     * Runs `work` with reads remembered (see TransactionMemo). Only inside a write transaction the
     * caller holds for all of `work`: outside one, another connection may change what was read.
     */
    withinMemo<T>(work: () => T): T {
      memo = emptyMemo();
      try {
        return work();
      } finally {
        memo = null;
      }
    },
    /** Forgets what was read: a write other than this engine's own may have changed it. */
    forgetMemo() {
      if (memo) memo = emptyMemo();
    },
  };
}

export type AssignmentStatements = ReturnType<typeof prepareAssignmentStatements>;

/**
 * Shifts, skills and holidays parsed once per distinct text and shared, frozen: the same few
 * agents are read for every assignment of a batch.
 */
const parsedJson = new Map<string, unknown>();
const PARSED_JSON_LIMIT = 2_000;

function parseShared<T>(text: string): T {
  let value = parsedJson.get(text);
  if (value === undefined) {
    if (parsedJson.size >= PARSED_JSON_LIMIT) parsedJson.clear();
    value = JSON.parse(text);
    deepFreeze(value);
    parsedJson.set(text, value);
  }
  return value as T;
}

function parseAgent(row: AgentRow): AgentForAssignment {
  return {
    ...row,
    shifts: parseShared(row.shifts),
    skills: parseShared(row.skills),
    holidays: parseShared(row.holidays),
  };
}
