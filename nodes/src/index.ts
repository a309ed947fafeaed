export { assignConfigSchema } from './actions/assign';
export * from './catalog';
export * from './interpreter/graphIndex';
export * from './interpreter/state';
export * from './interpreter/step';
export * from './nodeType';
export * from './validation/validateGraph';
