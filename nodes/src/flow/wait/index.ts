import { defineNodeType } from '../../nodeType';
import { nextClockTime } from './nextClockTime';
import { type WaitConfig, waitConfigSchema } from './schema';

export const waitFlow = defineNodeType<WaitConfig>({
  type: 'flow.wait',
  typeVersion: 1,
  category: 'flow',
  label: 'Wait',
  description: 'Pauses the execution for a duration, or until a time of day in a time zone.',
  icon: '⏳',
  color: '#7c3aed',
  configSchema: waitConfigSchema,
  waits: true,
  outputs: () => [{ id: 'out', label: 'then' }],
  summary: (config) =>
    config.mode === 'duration' ? `${config.minutes} min` : `until ${config.time} ${config.timeZone}`,
  run: ({ config, now }) => ({
    kind: 'wait',
    until:
      config.mode === 'duration'
        ? now + config.minutes * 60_000
        : nextClockTime(now, config.time, config.timeZone),
  }),
  onTimer: () => ({ kind: 'continue', output: 'out' }),
});
