/*
 * Every workflow type the router worker hosts. A worker bundles one module; the router shards'
 * own module stays the one the replay tests bundle, so their histories are checked on exactly it.
 */
export * from '../routing/routerWorkflow';
export { scheduledTrigger } from '../schedules/scheduledTrigger';
