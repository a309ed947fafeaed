export { assignConfigSchema } from './actions/assign';
export * from './catalog';
export {
  addBusinessMs,
  businessMsBetween,
  instantOfWallClock,
  openIntervals,
} from './conditions/businessHours/businessTime';
export { localTime } from './conditions/businessHours/isOpenAt';
export { type BusinessHoursConfig, businessHoursConfigSchema } from './conditions/businessHours/schema';
export * from './interpreter/graphIndex';
export * from './interpreter/interpreterEvents';
export * from './interpreter/safePoint';
export * from './interpreter/state';
export * from './interpreter/step';
export * from './interpreter/stepSafely';
export * from './nodeType';
export * from './sla';
export { type ScheduleAudience, type ScheduleConfig, scheduleConfigSchema } from './triggers/schedule/schema';
export * from './validation/validateGraph';
