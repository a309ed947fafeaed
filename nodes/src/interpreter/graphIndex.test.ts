import { describe, expect, it, vi } from 'vitest';
import { findNodeType } from '../catalog';
import { inboundMessage, newConversationToAssign } from '../testing/builders';
import { parsedConfig } from './graphIndex';
import { emptyConversationState } from './state';
import { step } from './step';

const NOW = 1_700_000_000_000;

describe('parsed node configs', () => {
  it('a published node is parsed once, however many conversations step through it', () => {
    const graph = newConversationToAssign('team_support');
    const assign = graph.nodes.find((node) => node.type === 'assign');
    const schema = findNodeType('assign')?.configSchema;
    if (!assign || !schema) throw new Error('the sample graph has an assign node');
    const parse = vi.spyOn(schema, 'safeParse');
    try {
      for (let i = 0; i < 20; i++) {
        const event = inboundMessage({ conversationId: `c${i}`, seq: i + 1 });
        expect(step(graph, emptyConversationState(`c${i}`), event, NOW).effects).toHaveLength(1);
      }
      expect(parse.mock.calls.filter(([config]) => config === assign.config)).toHaveLength(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('a changed node (a new object, as every editor change makes) is parsed again', () => {
    const graph = newConversationToAssign('team_support');
    const assign = graph.nodes.find((node) => node.type === 'assign');
    const schema = findNodeType('assign')?.configSchema;
    if (!assign || !schema) throw new Error('the sample graph has an assign node');
    const before = parsedConfig(assign, schema);
    const edited = { ...assign, config: { ...assign.config, teamId: 'team_sales' } };
    const after = parsedConfig(edited, schema);
    expect(before.success && before.data).toMatchObject({ teamId: 'team_support' });
    expect(after.success && after.data).toMatchObject({ teamId: 'team_sales' });
  });

  it('the shared parsed config is frozen, so no step can change it for the next conversation', () => {
    const graph = newConversationToAssign('team_support');
    const assign = graph.nodes.find((node) => node.type === 'assign');
    const schema = findNodeType('assign')?.configSchema;
    if (!assign || !schema) throw new Error('the sample graph has an assign node');
    const parsed = parsedConfig(assign, schema);
    if (!parsed.success) throw new Error('the sample config is valid');
    expect(() => {
      (parsed.data as { teamId: string }).teamId = 'someone else';
    }).toThrow(TypeError);
  });
});
