import type { EffectRequest, EffectResult, RoutedEvent } from '@switchboard/shared';
import type { z } from 'zod';
import type { ExecutionState } from './interpreter/state';

export type NodeCategory = 'trigger' | 'condition' | 'action' | 'flow';

export interface NodeOutput {
  id: string;
  label: string;
}

/** What a node decides, given its config and the conversation's situation. */
export type NodeOutcome =
  /** Leave through `output`, after asking for fire-and-forget effects. */
  | { kind: 'continue'; output: string; effects?: EffectRequest[] }
  /** Ask for an effect whose result decides the output; `resume` is called with it. */
  | { kind: 'await'; effect: EffectRequest }
  | { kind: 'end' };

export interface NodeContext<Config> {
  nodeId: string;
  config: Config;
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
  configSchema: z.ZodType<Config>;
  outputs(config: Config): NodeOutput[];
  /** One line shown on the canvas card. */
  summary(config: Config): string;
}

export interface TriggerNodeType<Config> extends NodeTypeBase<Config> {
  category: 'trigger';
  /** Whether this event starts a new execution. Pure. */
  matches(config: Config, event: RoutedEvent): boolean;
}

export interface StepNodeType<Config> extends NodeTypeBase<Config> {
  category: 'condition' | 'action' | 'flow';
  run(context: NodeContext<Config>): NodeOutcome;
  resume?(context: NodeContext<Config>, result: EffectResult): NodeOutcome;
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
