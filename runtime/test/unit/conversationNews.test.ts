import {
  type ConversationChangeNews,
  MAX_CHANGES_PER_MESSAGE,
  type SocketMessage,
} from '@switchboard/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../src/db/database';
import { createBatchNews, createConversationNews, startMessageFeed } from '../../src/inbox/conversationNews';
import { LiveHub } from '../../src/live/liveHub';
import { anAssignEffect } from '../support/assignEffect';
import { aConversation } from '../support/conversationBuilder';
import { testEffectExecutor } from '../support/effectExecutor';
import { demoDatabase } from '../support/testDatabase';

let db: AppDatabase;
let live: LiveHub;

beforeEach(() => {
  db = demoDatabase().db;
  live = new LiveHub(db);
});
afterEach(() => db.$client.close());

const journalOf = (agentId: string) => live.since(agentId, 0, 10_000);
const changesIn = (messages: SocketMessage[]) =>
  messages.flatMap((m) => (m.type === 'conversations.updated' ? m.changes : []));
const newConversations = (count: number, teamId: string) =>
  Array.from({ length: count }, () => aConversation(db, { teamId }));
const assignedAndWritten = (ids: string[]): ConversationChangeNews[] =>
  ids.flatMap((conversationId) => [
    { conversationId, change: 'assigned' as const },
    { conversationId, change: 'message' as const },
  ]);

describe('conversation news for a batch of changes', () => {
  it('each person hears of a burst of 40 new conversations in one message with the changes meant for them', () => {
    const support = newConversations(30, 'team_support');
    const sales = newConversations(10, 'team_sales');
    createBatchNews(db, live)(assignedAndWritten([...support, ...sales]));

    // Ana works in Support, Farah in Sales; Ben manages and hears of everything.
    for (const [agentId, theirs] of [
      ['agent_ana', support],
      ['agent_farah', sales],
      ['agent_ben', [...support, ...sales]],
    ] as const) {
      const journal = journalOf(agentId);
      expect(journal.map((m) => m.type)).toEqual(['conversations.updated']);
      expect(changesIn(journal)).toEqual(assignedAndWritten([...theirs]));
    }
  });

  it('the same change of the same conversation twice in a batch is told once', () => {
    const [conversationId] = newConversations(1, 'team_support') as [string];
    createBatchNews(
      db,
      live,
    )([
      { conversationId, change: 'message' },
      { conversationId, change: 'message' },
      { conversationId, change: 'messageStatus' },
      { conversationId, change: 'message' },
    ]);
    expect(changesIn(journalOf('agent_ana'))).toEqual([
      { conversationId, change: 'message' },
      { conversationId, change: 'messageStatus' },
    ]);
  });

  it(`more than ${MAX_CHANGES_PER_MESSAGE} changes for one person leave in messages of at most that many, in order`, () => {
    const support = newConversations(300, 'team_support');
    createBatchNews(db, live)(assignedAndWritten(support));
    const journal = journalOf('agent_ana');
    expect(journal.map((m) => (m.type === 'conversations.updated' ? m.changes.length : 0))).toEqual([
      MAX_CHANGES_PER_MESSAGE,
      600 - MAX_CHANGES_PER_MESSAGE,
    ]);
    expect(changesIn(journal)).toEqual(assignedAndWritten(support));
  });

  it('one change on its own is a batch of one', () => {
    const [conversationId] = newConversations(1, 'team_support') as [string];
    createConversationNews(db, live)(conversationId, 'note');
    expect(journalOf('agent_chloe')).toEqual([
      {
        type: 'conversations.updated',
        changes: [{ conversationId, change: 'note' }],
        seq: expect.any(Number),
      },
    ]);
    expect(journalOf('agent_farah')).toEqual([]);
  });

  it('the message feed tells each person of a turn’s new messages in one message', () => {
    const feed = startMessageFeed(db, createBatchNews(db, live), 60_000);
    try {
      // Each conversation arrives with its first inbound message, as webhook intake stores it.
      const support = newConversations(12, 'team_support');
      feed.drain();
      const journal = journalOf('agent_dev');
      expect(journal.map((m) => m.type)).toEqual(['conversations.updated']);
      expect(changesIn(journal)).toEqual(
        support.map((conversationId) => ({ conversationId, change: 'message' })),
      );
    } finally {
      feed.stop();
    }
  });

  it('a router chunk of 20 assignments tells each person of them in one news message beside the pushes', async () => {
    const support = newConversations(20, 'team_support');
    const applyEffects = testEffectExecutor(db, live);
    const assignToAna = (conversationId: string) =>
      anAssignEffect(conversationId, {
        nodeId: 'assign_ana',
        strategy: 'specific_agent',
        teamId: null,
        agentId: 'agent_ana',
      });
    await applyEffects(support.map(assignToAna), Date.now(), () => {});

    const assigned = support.map((conversationId) => ({ conversationId, change: 'assigned' }));
    const types = (agentId: string) => journalOf(agentId).map((m) => m.type);
    expect(types('agent_ana')).toEqual([...support.map(() => 'assignment.created'), 'conversations.updated']);
    expect(types('agent_chloe')).toEqual(['conversations.updated']);
    expect(changesIn(journalOf('agent_chloe'))).toEqual(assigned);
    expect(types('agent_farah')).toEqual([]);
  });
});
