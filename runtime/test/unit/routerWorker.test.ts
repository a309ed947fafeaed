import { Worker } from '@temporalio/worker';
import { afterEach, expect, test, vi } from 'vitest';
import { RouterWorker, WORKFLOW_STACK_TRACES_ENV } from '../../src/temporal/routerWorker';

/** The SDK's protected factory, reached the way Worker.create reaches it (`this.createWorkflowCreator`). */
interface WorkflowCreatorFactory {
  createWorkflowCreator(bundle: unknown, options: Record<string, unknown>, logger: unknown): Promise<unknown>;
}

const envBefore = process.env[WORKFLOW_STACK_TRACES_ENV];
afterEach(() => {
  vi.restoreAllMocks();
  if (envBefore === undefined) delete process.env[WORKFLOW_STACK_TRACES_ENV];
  else process.env[WORKFLOW_STACK_TRACES_ENV] = envBefore;
});

async function optionsHandedToSdk(stackTraces: 'on' | 'off') {
  process.env[WORKFLOW_STACK_TRACES_ENV] = stackTraces;
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
  // The caller's compiled options are not changed for anyone else.
  expect(options).toEqual({
    isolateExecutionTimeoutMs: 5000,
    reuseV8Context: true,
    workflowThreadPoolSize: 1,
  });
  return sdkFactory.mock.calls[0];
}

test.each([
  {
    stackTraces: 'off',
    debugMode: true,
    case: 'the router worker hands the SDK no isolate execution timeout and runs workflows on its main thread, every other option unchanged',
  },
  {
    stackTraces: 'on',
    debugMode: false,
    case: 'with stack traces asked for, workflows keep their own thread',
  },
] as const)('$case', async ({ stackTraces, debugMode }) => {
  expect(await optionsHandedToSdk(stackTraces)).toEqual([
    'bundle',
    { isolateExecutionTimeoutMs: undefined, reuseV8Context: true, workflowThreadPoolSize: 1, debugMode },
    'logger',
  ]);
});
