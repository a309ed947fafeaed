export { assignConfigSchema } from './actions/assign';
export * from './catalog';
export * from './interpreter/graphIndex';
export * from './interpreter/state';
export * from './interpreter/step';
export * from './nodeType';
export { type ScheduleAudience, type ScheduleConfig, scheduleConfigSchema } from './triggers/schedule/schema';
export * from './validation/validateGraph';
