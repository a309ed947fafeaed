import { defineNodeType } from '../../nodeType';
import { describeOpeningHours } from './describeOpeningHours';
import { isOpenAt } from './isOpenAt';
import { type BusinessHoursConfig, businessHoursConfigSchema } from './schema';

export const businessHoursCondition = defineNodeType<BusinessHoursConfig>({
  type: 'condition.businessHours',
  typeVersion: 1,
  category: 'condition',
  label: 'Business hours',
  description: 'Sends the conversation one way while the team is open and another while it is closed.',
  icon: '🕘',
  color: '#d97706',
  configSchema: businessHoursConfigSchema,
  outputs: () => [
    { id: 'open', label: 'open' },
    { id: 'closed', label: 'closed' },
  ],
  summary: describeOpeningHours,
  run: ({ config, now }) => ({ kind: 'continue', output: isOpenAt(config, now) ? 'open' : 'closed' }),
});
