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
// The editor draws rule groups and switch cases as forms from these, not as JSON.
export {
  fieldLabels as ruleFieldLabels,
  operatorLabels as ruleOperatorLabels,
} from './conditions/if/describeRules';
export {
  type FieldKind,
  fieldKinds,
  GROUP_DEPTH_LIMIT,
  knownValues,
  operatorsByKind,
  type Rule,
  type RuleField,
  type RuleGroup,
  type RuleOperator,
  type RuleValue,
  ruleFieldSchema,
  ruleGroupSchema,
  ruleOperatorSchema,
  ruleValueSchema,
  type ValueShape,
  valueShapes,
} from './conditions/if/schema';
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
