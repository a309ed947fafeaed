import { z } from 'zod';
import { defineNodeType } from '../../nodeType';

export const runWorkflowConfigSchema = z.object({ workflowId: z.string().min(1, 'choose a workflow') });

/**
 * Hands the conversation to another workflow: its published version starts (through its manual
 * trigger) once this execution has finished, since a conversation runs one execution at a time.
 */
export const runWorkflowFlow = defineNodeType<z.infer<typeof runWorkflowConfigSchema>>({
  type: 'flow.runWorkflow',
  typeVersion: 1,
  category: 'flow',
  label: 'Run another workflow',
  description: 'Ends this execution and starts another workflow (its "Manual" trigger) for the conversation.',
  icon: '↪️',
  color: '#475569',
  configSchema: runWorkflowConfigSchema,
  outputs: () => [],
  summary: (config) => `→ ${config.workflowId}`,
  run: ({ config }) => ({ kind: 'end', effects: [{ type: 'startWorkflow', workflowId: config.workflowId }] }),
});
