import { createRequire } from 'node:module';
import { type BundleOptions, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { RoutingActivities } from '../routing/routingActivities';
import type { ScheduleActivities } from '../schedules/scheduleActivities';
import { sandboxBuiltins } from './sandboxBuiltins';

const require = createRequire(import.meta.url);

export interface RouterWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: RoutingActivities;
  /** For `scheduledTrigger`, the run of a workflow's schedule. */
  scheduleActivities: ScheduleActivities;
  /** Keep the SDK's per-promise stack capture, for the workflows' stack trace query. */
  stackTraces?: boolean;
}

/**
 * Read by our patch of @temporalio/worker (patches/) in the workflow thread, which gets a copy of
 * this process's environment when the worker creates it.
 */
export const WORKFLOW_STACK_TRACES_ENV = 'SWITCHBOARD_WORKFLOW_STACK_TRACES';

let runtimeInstalled = false;

/**
 * Installs the SDK's native runtime once per process, before any native connection: the worker's
 * and the dispatcher's (whichever comes first).
 */
export function installTemporalRuntime(): void {
  if (runtimeInstalled) return;
  // The SDK's own logger prints every worker state change; warnings and errors are what we need.
  // Core's own warnings (e.g. "workflow task duration exceeded") go through the logger too,
  // instead of straight to stdout.
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
  runtimeInstalled = true;
}

/**
 * A worker whose workflow calls run without the SDK's isolate execution timeout, on the worker
 * process's main thread.
 *
 * The timeout is enforced by Node's `vm` with a watchdog thread started and joined on every call
 * into the workflow context (several per activation): measured here at 67 µs of CPU per call
 * against 2 µs without, about a fifth of the workflow thread's time in a burst. The guard it buys —
 * a workflow task that never returns — is already built into the router's own code: text patterns
 * run on a linear-time matcher (nodes/src/conditions/if/textPattern.ts), one event walks at most
 * MAX_NODES_PER_STEP nodes, and a task takes at most MAX_EVENTS_PER_TASK events and
 * MAX_DEADLINES_PER_TASK deadlines.
 *
 * The main thread (the SDK's `debugMode` creator, the same sandbox and reusable context without a
 * thread) saves copying every activation and completion to a workflow thread and back: in three
 * alternating pairs of the routing benchmark's `steady2000` the worker process used 0.293–0.341 ms of CPU per
 * conversation against 0.328–0.379, and 3.9 against 5.1 at 100/s. On two cores the thread bought
 * no parallelism the machine had to spare. With stack traces asked for the workflows keep their
 * thread: the SDK's promise hook would otherwise record every promise of the process.
 */
export class RouterWorker extends Worker {
  protected static override createWorkflowCreator(
    ...[bundle, compiledOptions, logger]: Parameters<typeof Worker.createWorkflowCreator>
  ): ReturnType<typeof Worker.createWorkflowCreator> {
    return Worker.createWorkflowCreator(
      bundle,
      {
        ...compiledOptions,
        // Typed as a number, but handed straight to `vm`'s `timeout` option, where absent means no watchdog.
        isolateExecutionTimeoutMs: undefined as unknown as number,
        debugMode: process.env[WORKFLOW_STACK_TRACES_ENV] !== 'on',
      },
      logger,
    );
  }
}

/**
 * The SDK compiles workflow TypeScript for ES2017, so every object spread, `?.` and `??` in the
 * router (the interpreter copies state with spreads) becomes a helper call: `_object_spread_props`
 * and its kin were 15% of the workflow thread's CPU in a profiled burst. The workflow thread is
 * Node's own V8, which has run ES2020 natively since Node 14; the language the code means does not
 * change, only how it is spelled. Every bundle of router code (worker, tests, replay) uses this.
 */
export const WORKFLOW_BUNDLE_TARGET = 'es2020';

/**
 * Our own packages' modules, which only declare things (schemas, node types, functions): the
 * bundle may leave out any of them whose exports the workflow code never uses.
 */
const DECLARATION_ONLY_MODULES = /[\\/](shared|nodes)[\\/]src[\\/]/;

type WebpackPlugin = NonNullable<
  Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0]['plugins']
>[number];

/** The webpack the SDK bundles with: a plugin must come from the same copy as the compiler it joins. */
const sdkWebpack = createRequire(require.resolve('@temporalio/worker'))('webpack') as {
  ProvidePlugin: new (definitions: Record<string, string[]>) => WebpackPlugin;
};

/** Free references to the sandbox's built-ins, bound once per module (why: sandboxBuiltins.ts). */
const providedBuiltins = new sdkWebpack.ProvidePlugin(
  Object.fromEntries(
    Object.keys(sandboxBuiltins).map((name) => [
      name,
      [require.resolve('./sandboxBuiltins.ts'), 'sandboxBuiltins', name],
    ]),
  ),
);

export const routerBundlerOptions: Pick<BundleOptions, 'webpackConfigHook'> = {
  webpackConfigHook: (config) => {
    for (const rule of config.module?.rules ?? []) {
      const use = rule && typeof rule === 'object' ? rule.use : undefined;
      const options = use && typeof use === 'object' && !Array.isArray(use) ? use.options : undefined;
      if (typeof options === 'object' && options?.jsc) options.jsc.target = WORKFLOW_BUNDLE_TARGET;
    }
    // Every new workflow run (each continue-as-new of a shard, each run after a cache eviction)
    // evaluates the bundle's modules afresh, and `@switchboard/shared`'s index pulled in every
    // schema of the app (API bodies, analytics, access rules) for the few the router needs. Left
    // out, a run's module setup took 32–42 instead of 63–73 ms (median of 15 evaluations of each
    // bundle in a `vm` context), and a shard waits that long on every continue-as-new.
    config.module?.rules?.push({ test: DECLARATION_ONLY_MODULES, sideEffects: false });
    config.optimization = { ...config.optimization, sideEffects: true, usedExports: true };
    config.plugins = [...(config.plugins ?? []), providedBuiltins];
    return config;
  },
};

/** The router's payload converter (payloadConverter.ts), for its workers, bundles and clients alike. */
export const routerDataConverter = { payloadConverterPath: require.resolve('./payloadConverter.ts') };

/** What every worker (or replay) of router workflow code is built with: the bundle target and the converter. */
export const routerWorkflowCodeOptions = {
  bundlerOptions: routerBundlerOptions,
  dataConverter: routerDataConverter,
};

/** The worker that hosts the router shard workflows and their local activities, and the runs of workflow schedules. */
export async function createRouterWorker(options: RouterWorkerOptions): Promise<Worker> {
  installTemporalRuntime();
  const connection = await NativeConnection.connect({ address: options.address });
  process.env[WORKFLOW_STACK_TRACES_ENV] = options.stackTraces ? 'on' : 'off';
  return RouterWorker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: require.resolve('./workerWorkflows.ts'),
    ...routerWorkflowCodeOptions,
    activities: { ...options.activities, ...options.scheduleActivities },
    // Router tasks are few and large (a batch each); more slots only add contention on 2 cores.
    maxConcurrentWorkflowTaskExecutions: 8,
    maxConcurrentLocalActivityExecutions: 8,
  });
}
