import type { RoutedEvent, WorkflowGraph } from '@switchboard/shared';
import type { RouterShardInput, SafePointMove } from '../../src/routing/routerWorkflow';
import type { fakeRoutingActivities } from '../support/fakeRoutingActivities';

/**
 * What happens to one router shard while its history is recorded: routed event batches (one
 * signal each, as the dispatcher sends them) and stretches of skipped time for the deadlines.
 */
export type ScriptStep =
  /** Sequence numbers are given by the recorder, in sending order, so builders' numbers do not matter. */
  | { kind: 'batch'; events: RoutedEvent[] }
  /** The dispatcher re-sends the previous batch after a crash; the shard must drop it. */
  | { kind: 'redelivery' }
  | { kind: 'advance'; minutes: number }
  /** The runtime announces a version published with `move_at_safe_point`. */
  | { kind: 'announce'; move: SafePointMove };

/** What a resumed run finds stored: its checkpoint pages, the outbox and the stop requests (the test fake's). */
export type ResumeStore = Pick<
  ReturnType<typeof fakeRoutingActivities>,
  'activities' | 'outbox' | 'stopRequests'
>;

export interface Scenario {
  /** Also the history's file name. */
  name: string;
  /** What a person would see happen, for whoever reads a failing replay. */
  story: string;
  /** Published versions, by id; events name the version a new execution starts on. */
  graphs: Record<string, WorkflowGraph>;
  script: ScriptStep[];
  /**
   * For a shard that continued as new: the input its next run starts from, given the server's
   * clock. Sequence numbers of scripted events continue after its high-water mark.
   */
  resumeFrom?: (now: number, store: ResumeStore) => Promise<RouterShardInput>;
}

export const batch = (...events: RoutedEvent[]): ScriptStep => ({ kind: 'batch', events });
export const redelivery = (): ScriptStep => ({ kind: 'redelivery' });
export const advance = (minutes: number): ScriptStep => ({ kind: 'advance', minutes });
export const announce = (move: SafePointMove): ScriptStep => ({ kind: 'announce', move });

export interface GraphNodeSpec {
  type: string;
  config?: Record<string, unknown>;
}

/** `[source, output, target]`: the output of one node that leads to another. */
export type EdgeSpec = readonly [source: string, output: string, target: string];

/** An unacknowledged conversation goes to the team lead after 15 minutes. */
export function escalateToTeamLead(): WorkflowGraph {
  return flowGraph(
    {
      start: { type: 'trigger.newConversation' },
      assign: { type: 'assign', config: { teamId: 'team_support' } },
      ack: { type: 'flow.waitForAcknowledgement', config: { timeoutMinutes: 15 } },
      lead: { type: 'assign', config: { strategy: 'team_lead', teamId: 'team_support' } },
    },
    [
      ['start', 'out', 'assign'],
      ['assign', 'assigned', 'ack'],
      ['ack', 'timeout', 'lead'],
    ],
  );
}

/** A graph from named nodes and the outputs that connect them; joins are as easy as branches. */
export function flowGraph(nodes: Record<string, GraphNodeSpec>, edges: readonly EdgeSpec[]): WorkflowGraph {
  return {
    nodes: Object.entries(nodes).map(([id, spec], row) => ({
      id,
      type: spec.type,
      typeVersion: 1,
      position: { x: 0, y: row * 120 },
      config: spec.config ?? {},
    })),
    edges: edges.map(([source, output, target]) => ({
      id: `${source}.${output}-${target}`,
      source,
      sourceHandle: output,
      target,
    })),
  };
}
