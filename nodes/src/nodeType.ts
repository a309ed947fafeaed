import type { EffectRequest, RoutedEvent, StepEffectResult } from '@switchboard/shared';
import type { z } from 'zod';
import type { ExecutionState } from './interpreter/state';

export type NodeCategory = 'trigger' | 'condition' | 'action' | 'flow';

export interface NodeOutput {
  id: string;
  label: string;
  /** Validation warns when a required output has no edge (e.g. a timeout nobody handles). */
  required?: boolean;
}

/** What a node decides, given its config and the conversation's situation. */
export type NodeOutcome =
  /** Leave through `output`, after asking for fire-and-forget effects. */
  | { kind: 'continue'; output: string; effects?: EffectRequest[] }
  /** Ask for an effect whose result decides the output; `resume` is called with it. */
  | { kind: 'await'; effect: EffectRequest; memory?: NodeMemory }
  /**
   * Stay on this node until an event it cares about (`onEvent`) or the deadline (`onTimer`).
   * `memory` is the node's own scratch state while it waits (e.g. the escalation stage).
   */
  | { kind: 'wait'; until: number | null; memory?: NodeMemory; effects?: EffectRequest[] }
  | { kind: 'end'; effects?: EffectRequest[] };

/** JSON-safe scratch state a waiting node keeps; it crosses continue-as-new. */
export type NodeMemory = Record<string, string | number | boolean | null | string[]>;

export interface NodeContext<Config> {
  nodeId: string;
  config: Config;
  /** What this node remembered from its earlier outcomes during this visit ({} on entry). */
  memory: NodeMemory;
  /** The event being processed (for a timer or effect result: the event that started the execution). */
  event: RoutedEvent;
  execution: ExecutionState;
  now: number;
}

interface NodeTypeBase<Config> {
  type: string;
  typeVersion: number;
  category: NodeCategory;
  label: string;
  description: string;
  /** A single emoji keeps the catalog free of icon dependencies. */
  icon: string;
  color: string;
  configSchema: z.ZodType<Config, unknown>;
  outputs(config: Config): NodeOutput[];
  /** One line shown on the canvas card. */
  summary(config: Config): string;
}

export interface TriggerNodeType<Config> extends NodeTypeBase<Config> {
  category: 'trigger';
  /** Whether this event starts a new execution. Pure. `nodeId` is this trigger's, for events addressed to one node. */
  matches(config: Config, event: RoutedEvent, nodeId: string): boolean;
  /**
   * For triggers that fire only if nothing happens for a while ("unanswered for 10 minutes"):
   * how long after the matching event, in ms. The execution waits at the trigger meanwhile.
   */
  delayMs?(config: Config): number;
  /** An event that makes a delayed trigger stand down (the agent answered in time). */
  cancels?(config: Config, event: RoutedEvent): boolean;
}

export interface StepNodeType<Config> extends NodeTypeBase<Config> {
  category: 'condition' | 'action' | 'flow';
  /** True for nodes that can pause an execution on a timer; validation needs one in every cycle. */
  waits?: boolean;
  /** May send WhatsApp messages that need the 24-hour window; validation warns about them. */
  sendsToCustomer?: boolean;
  run(context: NodeContext<Config>): NodeOutcome;
  /** The result of the effect asked for with `await`. */
  resume?(context: NodeContext<Config>, result: StepEffectResult): NodeOutcome;
  /** An event for the conversation while this node waits; null leaves it waiting. */
  onEvent?(context: NodeContext<Config>, event: RoutedEvent): NodeOutcome | null;
  /** The node's deadline passed. */
  onTimer?(context: NodeContext<Config>): NodeOutcome;
}

export type NodeType<Config = unknown> = TriggerNodeType<Config> | StepNodeType<Config>;

/** Keeps the config type attached to the definition while letting the catalog hold mixed types. */
export function defineNodeType<Config>(definition: NodeType<Config>): NodeType<Config> {
  return definition;
}

/**
 * A catalog entry of any config type. Config parameters are contravariant, so a list of mixed node
 * types can only be typed loosely; each entry's config is parsed by its own schema before use.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type AnyNodeType = NodeType<any>;
