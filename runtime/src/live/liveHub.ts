import type { SocketMessage } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import { LOCK_BUSY, LOCK_POLL, writeIfFree } from '../db/writeLock';

type Listener = (message: SocketMessage) => void;

export type LiveDelivery = {
  agentId: string;
  /** A message published again under the same key (a retried effect's) is dropped: sent once. */
  onceKey?: string;
} & (
  | { message: SocketMessage }
  /**
   * The message as JSON already (the router worker's assignments, whose explanations are stored
   * as JSON): journaled and sent as it is, and parsed only for a person with a page open.
   */
  | { json: string }
);

/** A message on its way to one person's sockets: the object, or its socket text to parse if anyone listens. */
type Outgoing = { agentId: string } & ({ message: SocketMessage } | { frame: string });
/** A journaled message on its way, with its number. */
type NumberedOutgoing = Outgoing & { seq: number };

/** Where effects send live updates: the hub itself, or (from a worker process) a pipe to it. */
export interface LivePublisher {
  publish(agentId: string, message: SocketMessage): void;
  /** Many at once, in order: the hub journals them in one commit instead of one commit each. */
  publishAll(deliveries: readonly LiveDelivery[]): void;
  /**
   * Messages another connection journaled itself (the router worker, in the transaction of the
   * assignments they announce), numbered up to `seq` and committed: the hub reads them from the
   * journal and sends them.
   */
  journaledThrough(seq: number): void;
}

const JOURNAL_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The socket text of journaled messages, made from the text the journal stored: a message with
 * its number would otherwise be serialized again for every socket it goes to (an assignment
 * carries its whole explanation).
 */
const frameTexts = new WeakMap<SocketMessage, string>();

/** `message` as sent on a socket: its text from the journal when it was journaled, else serialized now. */
export function frameText(message: SocketMessage): string {
  return frameTexts.get(message) ?? JSON.stringify(message);
}

/** The message a socket text stands for, which keeps that text for its sockets. */
function parseFrame(frame: string): SocketMessage {
  const message = JSON.parse(frame) as SocketMessage;
  frameTexts.set(message, frame);
  return message;
}

/**
 * Fans messages out to the sockets of one person in this process. With a database, every message is
 * first written to that person's journal (`live_events`) and numbered, so a page that was offline
 * for a moment asks for what came after its last number and misses nothing.
 *
 * Messages leave in the order of their numbers, whoever journaled them: this hub, or the router
 * worker, which journals in its own transactions (`journaledThrough`). The journal's numbers are
 * given in commit order (one writer at a time, AUTOINCREMENT), so every number up to the highest
 * committed one is final, and `sentThrough` — what this hub has sent — only ever moves forward.
 * What a page is told it has (`lastSeq`) or is sent on reconnecting (`since`) stops there too; the
 * rest reaches it live.
 */
export class LiveHub implements LivePublisher {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly journal: Journal | null;
  /** Published while the write lock was busy: journaled (then sent) as soon as it is free. */
  private unjournaled: LiveDelivery[] = [];
  private journalPause = LOCK_POLL.firstPauseMs / 2;
  /** The highest journal number sent (or skipped: nobody listening); older numbers are history. */
  private sentThrough: number;
  /** Messages on their way to listeners, and whether they are being handed out (see `fanOut`). */
  private outgoing: Outgoing[] = [];
  private fanningOut = false;

  constructor(db?: AppDatabase) {
    this.journal = db ? createLiveJournal(db) : null;
    this.sentThrough = this.journal?.newestSeq() ?? 0;
  }

  subscribe(agentId: string, listener: Listener): () => void {
    let set = this.listeners.get(agentId);
    if (!set) {
      set = new Set();
      this.listeners.set(agentId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(agentId);
    };
  }

  publish(agentId: string, message: SocketMessage): void {
    this.publishAll([{ agentId, message }]);
  }

  publishAll(deliveries: readonly LiveDelivery[]): void {
    if (deliveries.length === 0) return;
    if (!this.journal) {
      this.fanOut(
        deliveries.map((delivery) =>
          'json' in delivery
            ? { agentId: delivery.agentId, frame: delivery.json }
            : { agentId: delivery.agentId, message: delivery.message },
        ),
      );
      return;
    }
    const alreadyWaiting = this.unjournaled.length > 0;
    this.unjournaled.push(...deliveries);
    // Behind messages that wait for the lock: numbers must follow the order pages receive them in.
    if (!alreadyWaiting) this.journalWaiting();
  }

  /**
   * Journals what waits, in order, if the write lock is free; otherwise tries again in a moment.
   * Waiting inside SQLite (busy_timeout) would stall every request and socket of this process
   * while the router worker commits a batch.
   */
  private journalWaiting(): void {
    const journal = this.journal as Journal;
    const batch = this.unjournaled;
    let numbered: NumberedOutgoing[] | typeof LOCK_BUSY;
    try {
      numbered = writeIfFree(journal.sqlite, () => journal.appendAll(batch, Date.now()));
    } catch (error) {
      // Not a busy lock: the batch cannot be journaled; what comes next must not wait behind it.
      this.unjournaled = [];
      throw error;
    }
    if (numbered === LOCK_BUSY) {
      this.journalPause = Math.min(this.journalPause * 2, LOCK_POLL.longestPauseMs);
      setTimeout(() => this.journalWaiting(), this.journalPause).unref();
      return;
    }
    this.journalPause = LOCK_POLL.firstPauseMs / 2;
    this.unjournaled = [];
    const first = numbered[0];
    if (!first) return;
    // What the worker committed before this commit goes first; nothing can come in between (one
    // transaction's numbers are consecutive). A listener that publishes in turn sends what it
    // finds unsent, these rows among them: they go out once, and `sentThrough` never goes back.
    this.sendJournaled(first.seq - 1);
    const unsent = numbered.filter((outgoing) => outgoing.seq > this.sentThrough);
    this.sentThrough = Math.max(this.sentThrough, (numbered.at(-1) as NumberedOutgoing).seq);
    this.fanOut(unsent);
  }

  journaledThrough(seq: number): void {
    if (this.journal) this.sendJournaled(seq);
  }

  /** Sends what the journal holds after `sentThrough`, up to `through`, in order. */
  private sendJournaled(through: number): void {
    const journal = this.journal as Journal;
    while (this.sentThrough < through) {
      const rows = journal.between(this.sentThrough, through, JOURNAL_READ_ROWS);
      const last = rows.at(-1);
      if (!last) break;
      this.sentThrough = last.seq;
      this.fanOut(rows.filter((row) => this.listeners.has(row.agentId)).map(journaledFrame));
    }
    this.sentThrough = Math.max(this.sentThrough, through);
  }

  /**
   * Hands messages to their listeners in the order given. A listener that publishes in turn has its
   * messages (numbered after these) queued behind the rest of these, not sent in between.
   */
  private fanOut(outgoing: readonly Outgoing[]): void {
    this.outgoing.push(...outgoing);
    if (this.fanningOut) return;
    this.fanningOut = true;
    try {
      for (let one = this.outgoing.shift(); one; one = this.outgoing.shift()) {
        const listeners = this.listeners.get(one.agentId);
        if (!listeners) continue;
        const message = 'message' in one ? one.message : parseFrame(one.frame);
        for (const listener of listeners) listener(message);
      }
    } finally {
      this.fanningOut = false;
    }
  }

  /** The newest number sent to this person (0: none yet). */
  lastSeq(agentId: string): number {
    return this.journal?.lastSeq(agentId, this.sentThrough) ?? 0;
  }

  /** What this person was sent after `seq`, oldest first. */
  since(agentId: string, seq: number, limit = 1000): SocketMessage[] {
    return this.journal?.since(agentId, seq, this.sentThrough, limit) ?? [];
  }

  prune(now: number): void {
    this.journal?.prune(now - JOURNAL_RETENTION_MS);
  }
}

/** Rows read from the journal at a time when sending what another connection journaled. */
const JOURNAL_READ_ROWS = 1000;

interface JournalRow {
  seq: number;
  agentId: string;
  message: string;
}

/**
 * The socket text of a journaled message: its number first, then the stored members (a message's
 * text is an object, never `{}`).
 */
function numberedFrame(seq: number, text: string): string {
  return `{"seq":${seq},${text.slice(1)}`;
}

function journaledFrame(row: JournalRow): Outgoing {
  return { agentId: row.agentId, frame: numberedFrame(row.seq, row.message) };
}

/** The live journal (`live_events`) of a connection: the hub's, or the router worker's (see `appendWithin`). */
export function createLiveJournal(db: AppDatabase) {
  const sqlite = db.$client;
  const insert = sqlite.prepare<[string, string, number, string | null]>(
    `INSERT INTO live_events (agent_id, message, created_at, once_key) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const newest = sqlite.prepare<[], number | null>(`SELECT max(seq) FROM live_events`).pluck();
  const seqOfOnceKey = sqlite
    .prepare<[string], number>(`SELECT seq FROM live_events WHERE once_key = ?`)
    .pluck();
  const last = sqlite
    .prepare<[string, number], number | null>(
      `SELECT max(seq) FROM live_events WHERE agent_id = ? AND seq <= ?`,
    )
    .pluck();
  const after = sqlite.prepare<[string, number, number, number], { seq: number; message: string }>(
    `SELECT seq, message FROM live_events WHERE agent_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
  );
  const between = sqlite.prepare<[number, number, number], JournalRow>(
    `SELECT seq, agent_id AS agentId, message FROM live_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
  );
  const prune = sqlite.prepare(`DELETE FROM live_events WHERE created_at < ?`);
  /** Stores the delivery: its number, text and message; null when its once-key was journaled before. */
  const store = (delivery: LiveDelivery, now: number) => {
    let text: string;
    let content: SocketMessage | null = null;
    if ('json' in delivery) text = delivery.json;
    else {
      const { seq: _previous, ...rest } = delivery.message as SocketMessage & { seq?: number };
      content = rest as SocketMessage;
      text = JSON.stringify(content);
    }
    const stored = insert.run(delivery.agentId, text, now, delivery.onceKey ?? null);
    return stored.changes === 0 ? null : { seq: Number(stored.lastInsertRowid), text, content };
  };
  /** The delivery with its number, ready to send; null when its once-key was journaled before. */
  const append = (delivery: LiveDelivery, now: number): NumberedOutgoing | null => {
    const stored = store(delivery, now);
    if (!stored) return null;
    const { seq, content } = stored;
    const frame = numberedFrame(seq, stored.text);
    if (!content) return { agentId: delivery.agentId, frame, seq };
    const numbered = { ...content, seq } as SocketMessage;
    frameTexts.set(numbered, frame);
    return { agentId: delivery.agentId, message: numbered, seq };
  };
  const appendEach = (deliveries: readonly LiveDelivery[], now: number): NumberedOutgoing[] =>
    deliveries.flatMap((delivery) => {
      const numbered = append(delivery, now);
      return numbered ? [numbered] : [];
    });
  // The router worker's pushes come in batches of hundreds; a commit each cost more than the rest
  // of routing and held the write lock the worker waits for (measured in `pnpm bench`).
  const appendAll = sqlite.transaction(appendEach);
  return {
    sqlite,
    // IMMEDIATE: the first statement writes anyway; taking the lock up front never fails half-way.
    appendAll: (deliveries: readonly LiveDelivery[], now: number): NumberedOutgoing[] =>
      appendAll.immediate(deliveries, now),
    /**
     * Journals `deliveries` in the caller's write transaction; returns the highest number they have
     * (0: none), a delivery journaled before under its once-key counting with its earlier number: a
     * retried effect's push that a crash kept from being sent is sent then. Nothing is sent here:
     * once the transaction commits, the caller hands the number to `journaledThrough` (and no
     * socket text is made: the hub makes it from the row).
     */
    appendWithin: (deliveries: readonly LiveDelivery[], now: number): number => {
      let highest = 0;
      for (const delivery of deliveries) {
        const stored = store(delivery, now);
        const seq = stored?.seq ?? (delivery.onceKey ? (seqOfOnceKey.get(delivery.onceKey) ?? 0) : 0);
        highest = Math.max(highest, seq);
      }
      return highest;
    },
    newestSeq: () => newest.get() ?? 0,
    lastSeq: (agentId: string, through: number) => last.get(agentId, through) ?? 0,
    since: (agentId: string, seq: number, through: number, limit: number) =>
      after
        .all(agentId, seq, through, limit)
        .map((row) => ({ ...JSON.parse(row.message), seq: row.seq }) as SocketMessage),
    between: (after: number, through: number, limit: number) => between.all(after, through, limit),
    prune: (before: number) => prune.run(before),
  };
}

type Journal = ReturnType<typeof createLiveJournal>;
