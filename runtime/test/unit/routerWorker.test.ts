import { Worker } from '@temporalio/worker';
import { afterEach, expect, test, vi } from 'vitest';
import { RouterWorker } from '../../src/temporal/routerWorker';

/** The SDK's protected factory, reached the way Worker.create reaches it (`this.createWorkflowCreator`). */
interface WorkflowCreatorFactory {
  createWorkflowCreator(bundle: unknown, options: Record<string, unknown>, logger: unknown): Promise<unknown>;
}

afterEach(() => {
  vi.restoreAllMocks();
});

test('the router worker hands the SDK no isolate execution timeout, and every other option unchanged', async () => {
  const sdkFactory = vi
    .spyOn(Worker as unknown as WorkflowCreatorFactory, 'createWorkflowCreator')
    .mockResolvedValue('creator');
  const options = { isolateExecutionTimeoutMs: 5000, reuseV8Context: true, workflowThreadPoolSize: 1 };

  const creator = await (RouterWorker as unknown as WorkflowCreatorFactory).createWorkflowCreator(
    'bundle',
    options,
    'logger',
  );

  expect(creator).toBe('creator');
  expect(sdkFactory).toHaveBeenCalledWith(
    'bundle',
    { isolateExecutionTimeoutMs: undefined, reuseV8Context: true, workflowThreadPoolSize: 1 },
    'logger',
  );
  // The caller's compiled options are not changed for anyone else.
  expect(options.isolateExecutionTimeoutMs).toBe(5000);
});
