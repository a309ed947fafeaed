import type Database from 'better-sqlite3';
import { benchAuthHeaders } from './benchRuntime';
import { JsonPoster } from './jsonPoster';

interface AssignmentRow {
  rowid: number;
  conversationId: string;
  waId: string;
  agentId: string | null;
  nodeId: string;
}

interface Acknowledgement {
  conversationId: string;
  agentId: string;
}

const POLL_MS = 200;
const ROWS_PER_POLL = 5000;
const EXAMPLES = 5;
/** The API answers 503 with Retry-After: 1 when SQLite stays locked past busy_timeout. */
const BUSY_RETRY_MS = 1000;
const BUSY_ATTEMPTS = 10;

/**
 * The agents of the escalation benchmark: they watch the `assignments` table fill up and, for the
 * conversations `acknowledges` picks, press "acknowledge" as the assignee through the real HTTP
 * API, as soon as the first assignment is committed. Polling the table by rowid instead of
 * listening on the agents' sockets keeps 100,000 pushes off the event loop the runtime shares.
 */
export class AcknowledgingAgents {
  /** Customers whose first (`assign`) assignment has been seen. */
  readonly assigned = new Set<string>();
  /** Customers whose `lead` assignment has been seen: the escalations that happened. */
  readonly escalated = new Set<string>();
  /** Replies of the acknowledge API by HTTP status; 0 means no reply at all. */
  readonly replies: Record<string, number> = {};
  /** Acknowledgements sent again after a 503 (database busy). */
  busyRetries = 0;
  /** A few refused acknowledgements, for the report. */
  readonly refusals: string[] = [];
  /** First assignments that went to nobody: there is no assignee to acknowledge them. */
  unassigned = 0;
  /** Date.now() when the latest first assignment was seen; null before the first. */
  lastFirstAssignmentAt: number | null = null;
  private readonly queue: Acknowledgement[] = [];
  private next = 0;
  private inFlight = 0;
  private cursor = 0;
  private readonly poster: JsonPoster;
  private readonly newRows;
  private readonly poller: NodeJS.Timeout;

  constructor(
    sqlite: Database.Database,
    baseUrl: string,
    private readonly acknowledges: (waId: string) => boolean,
    private readonly concurrency: number,
  ) {
    this.poster = new JsonPoster(baseUrl, concurrency);
    // Writers commit one assignment transaction at a time (BEGIN IMMEDIATE), so rowids become
    // visible in increasing order and a cursor on rowid never skips a row.
    this.newRows = sqlite.prepare<[number, number], AssignmentRow>(
      `SELECT a.rowid AS rowid, a.conversation_id AS conversationId, c.customer_wa_id AS waId,
              a.agent_id AS agentId, a.node_id AS nodeId
         FROM assignments a JOIN conversations c ON c.id = a.conversation_id
        WHERE a.rowid > ? ORDER BY a.rowid LIMIT ?`,
    );
    this.poller = setInterval(() => this.poll(), POLL_MS);
  }

  get acknowledged(): number {
    return this.replies['202'] ?? 0;
  }

  /** Nothing queued and nothing in flight. */
  get idle(): boolean {
    return this.next === this.queue.length && this.inFlight === 0;
  }

  /** Stops polling and waits for the acknowledgements in flight. */
  async stop(): Promise<void> {
    clearInterval(this.poller);
    this.queue.length = this.next;
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await this.poster.close();
  }

  private poll(): void {
    for (;;) {
      const rows = this.newRows.all(this.cursor, ROWS_PER_POLL);
      for (const row of rows) this.follow(row);
      this.cursor = rows.at(-1)?.rowid ?? this.cursor;
      if (rows.length < ROWS_PER_POLL) break;
    }
    this.pump();
  }

  private follow(row: AssignmentRow): void {
    if (row.nodeId === 'lead') {
      this.escalated.add(row.waId);
      return;
    }
    if (row.nodeId !== 'assign' || this.assigned.has(row.waId)) return;
    this.assigned.add(row.waId);
    this.lastFirstAssignmentAt = Date.now();
    if (!this.acknowledges(row.waId)) return;
    if (row.agentId === null) this.unassigned++;
    else this.queue.push({ conversationId: row.conversationId, agentId: row.agentId });
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.next < this.queue.length) {
      const acknowledgement = this.queue[this.next++] as Acknowledgement;
      this.inFlight++;
      void this.post(acknowledgement).then((status) => {
        this.inFlight--;
        this.replies[status] = (this.replies[status] ?? 0) + 1;
        if (status !== 202 && this.refusals.length < EXAMPLES)
          this.refusals.push(
            `${acknowledgement.conversationId} by ${acknowledgement.agentId}: ${status === 0 ? this.poster.lastError : `HTTP ${status}`}`,
          );
        this.pump();
      });
    }
  }

  /**
   * Resolves with the HTTP status, 0 when none came back; never rejects. A 503 (database busy)
   * is sent again after its Retry-After, as a real client would, a few times at most.
   */
  private async post({ conversationId, agentId }: Acknowledgement): Promise<number> {
    const body = JSON.stringify({ agentId });
    const path = `/api/conversations/${encodeURIComponent(conversationId)}/acknowledge`;
    for (let attempt = 1; ; attempt++) {
      const status = await this.poster.post(path, body, benchAuthHeaders());
      if (status !== 503 || attempt >= BUSY_ATTEMPTS) return status;
      this.busyRetries++;
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    }
  }
}
