import type { ConversationState } from '@switchboard/nodes';
import { describe, expect, it } from 'vitest';
import { inboundMessage } from '../../../nodes/src/testing/builders';
import { assignedTo, ConversationDriver } from '../../../nodes/src/testing/drive';
import { packValues, unpackValues } from '../../src/routing/compactJson';
import {
  loadCheckpointInGroups,
  PACKED_PAGE_SIZE,
  packPage,
  savePackedCheckpoint,
  unpackPage,
} from '../../src/routing/shardCheckpoint';
import { acknowledgeOrEscalate } from '../support/escalationGraph';
import { memoryCheckpoints } from '../support/memoryCheckpoints';

/** Live states as a shard holds them in the escalation benchmark: assigned, waiting for acknowledgement. */
function waitingStates(count: number): ConversationState[] {
  return Array.from({ length: count }, (_, i) => {
    const conversationId = `3f1c9a2e-5b7d-4e8f-9a0b-${String(i).padStart(12, '0')}`;
    const driver = new ConversationDriver(acknowledgeOrEscalate(12), conversationId);
    driver.send(
      inboundMessage({ conversationId, customerWaId: String(5511700000000 + i), workflowVersionId: 'wfv-1' }),
    );
    driver.answer(assignedTo(i % 2 ? 'agent_ana' : 'agent_dev'));
    return driver.state;
  });
}

describe('packed JSON', () => {
  it('gives back exactly what it packed, whatever the values look like', () => {
    const values = [
      { a: [1, -1, -2, [-1, 'x']], b: { c: null, d: true, e: 'shared string', f: [] }, g: {} },
      { b: { c: 'shared string', d: false, e: 'shared string', f: [[]] }, a: [], g: { '': '' } },
      'a plain top-level string',
      'a plain top-level string but longer',
      [-2, 0],
      -1,
      { id: 'anchor-0001', child: 'anchor-0001:1', twin: 'anchor-0001', other: 'anchor-0002' },
    ];
    expect(unpackValues(JSON.parse(JSON.stringify(packValues(values))))).toEqual(values);
  });

  it('a waiting conversation packs to under half of its JSON', () => {
    const states = waitingStates(250);
    const packed = JSON.stringify(packValues(states)).length;
    expect(unpackValues(packValues(states))).toEqual(states);
    expect(packed).toBeLessThan(JSON.stringify(states).length / 2);
  });
});

describe('packed checkpoint pages', () => {
  it('carry every conversation and pending event in pages of PACKED_PAGE_SIZE, in order', async () => {
    const states = waitingStates(PACKED_PAGE_SIZE * 2 + 7);
    const pending = [
      inboundMessage({ conversationId: 'late-1' }),
      inboundMessage({ conversationId: 'late-2' }),
    ];
    const store = memoryCheckpoints();
    const queue = [...pending];
    const ref = await savePackedCheckpoint(store, 'run-1', states, queue);
    expect(queue).toEqual([]);
    expect(ref).toEqual({ runId: 'run-1', pages: 4 });
    expect(await loadCheckpointInGroups(store, ref)).toEqual({ conversations: states, pending });
    const pages = await Promise.all(
      Array.from({ length: ref.pages }, (_, page) => store.loadCheckpointPage({ runId: 'run-1', page })),
    );
    const read = pages.map(unpackPage);
    expect(read.flatMap((page) => page.conversations)).toEqual(states);
    expect(read.flatMap((page) => page.pending)).toEqual(pending);
    // Each page stays far below the 512 KB payload warning.
    for (const page of pages) expect(JSON.stringify(page).length).toBeLessThan(200_000);
  });

  it('still reads pages written before packing', () => {
    const states = waitingStates(2);
    expect(unpackPage({ conversations: states, pending: [] })).toEqual({
      conversations: states,
      pending: [],
    });
    expect(unpackPage(packPage(states, []))).toEqual({ conversations: states, pending: [] });
  });
});
