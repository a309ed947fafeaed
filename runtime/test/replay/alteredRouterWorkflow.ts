import { sleep } from '@temporalio/workflow';
import { routerShard as currentRouterShard, type RouterShardInput } from '../../src/routing/routerWorkflow';

/**
 * The negative control of the determinism guard: the router shard as it is, but with a timer of its
 * own before it starts routing, the kind of innocent-looking edit that breaks every running shard.
 * Replaying a stored history against this must fail, or the guard proves nothing.
 */
export async function routerShard(input: RouterShardInput): Promise<void> {
  await sleep(1);
  return currentRouterShard(input);
}
