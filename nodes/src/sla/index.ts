export * from './evaluateSla';
export * from './policy';
export * from './selectPolicy';
