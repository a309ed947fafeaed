import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { defaultPayloadConverter } from '@temporalio/common';
import { bundleWorkflowCode } from '@temporalio/worker';
import { expect, test } from 'vitest';
import { payloadConverter } from '../../src/temporal/payloadConverter';
import { routerBundlerOptions, routerDataConverter } from '../../src/temporal/routerWorker';

const require = createRequire(import.meta.url);
const SPREADING_WORKFLOW = require.resolve('./fixtures/spreadingWorkflow.ts');
const BUILTINS_IN_LOOP_WORKFLOW = require.resolve('./fixtures/builtinsInLoopWorkflow.ts');
const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const values: unknown[] = [
  { type: 'message.received', text: 'Olá, où est ma commande? 👋 مرحبا', seq: 7, facts: { tags: ['vip'] } },
  'plain ASCII',
  '\ud800 a lone surrogate, which JSON.stringify escapes',
  0,
  -1.5,
  null,
  true,
  [1, 'two', { three: [3] }],
  {},
];

test('the router payload converter writes the bytes the SDK default writes, and reads them back', () => {
  for (const value of values) {
    const ours = payloadConverter.toPayload(value);
    const sdk = defaultPayloadConverter.toPayload(value);
    expect(ours).toBeDefined();
    expect(Buffer.from(ours?.data ?? [])).toEqual(Buffer.from(sdk.data ?? []));
    expect(Buffer.from(ours?.metadata?.encoding ?? []).toString()).toBe('json/plain');
    expect(Buffer.from(ours?.metadata?.encoding ?? [])).toEqual(Buffer.from(sdk.metadata?.encoding ?? []));
    expect(payloadConverter.fromPayload(sdk)).toEqual(value);
    expect(defaultPayloadConverter.fromPayload(ours as NonNullable<typeof ours>)).toEqual(value);
  }
});

test('undefined and bytes keep the SDK default encodings', () => {
  const nothing = payloadConverter.toPayload(undefined);
  expect(Buffer.from(nothing?.metadata?.encoding ?? []).toString()).toBe('binary/null');
  expect(payloadConverter.fromPayload(nothing as NonNullable<typeof nothing>)).toBeUndefined();
  const bytes = payloadConverter.toPayload(new Uint8Array([1, 2, 250]));
  expect(Buffer.from(bytes?.metadata?.encoding ?? []).toString()).toBe('binary/plain');
  expect([...(payloadConverter.fromPayload(bytes as NonNullable<typeof bytes>) as Uint8Array)]).toEqual([
    1, 2, 250,
  ]);
});

test('values JSON cannot carry are refused when sent', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  expect(() => payloadConverter.toPayload(cyclic)).toThrow();
  expect(() => defaultPayloadConverter.toPayload(cyclic)).toThrow();
  // The SDK default writes an empty JSON payload for a function, which no reader can parse.
  expect(defaultPayloadConverter.toPayload(() => 1).data).toHaveLength(0);
  expect(() => payloadConverter.toPayload(() => 1)).toThrow();
});

test('the worker, its bundles and the clients load this converter by path, with require()', () => {
  expect(routerDataConverter.payloadConverterPath).toBe(
    fileURLToPath(new URL('../../src/temporal/payloadConverter.ts', import.meta.url)),
  );
  const loaded = require(routerDataConverter.payloadConverterPath)
    .payloadConverter as typeof payloadConverter;
  const value = values[0];
  expect(Buffer.from(loaded.toPayload(value)?.data ?? [])).toEqual(
    Buffer.from(payloadConverter.toPayload(value)?.data ?? []),
  );
});

test('router workflow code is bundled for ES2020: spreads and ?? stay native instead of helper calls', async () => {
  const sdkDefault = await bundleWorkflowCode({ workflowsPath: SPREADING_WORKFLOW, logger: quietLogger });
  const router = await bundleWorkflowCode({
    workflowsPath: SPREADING_WORKFLOW,
    logger: quietLogger,
    ...routerBundlerOptions,
  });
  // The fixture needs the helpers at the SDK's own target, so their absence is the hook's doing.
  expect(sdkDefault.code).toMatch(/_object_spread\(\{\}, state/);
  expect(router.code).not.toMatch(/_object_spread/);
  expect(router.code).toContain('...state');
  expect(router.code).toContain('state.count ?? 0');
}, 60_000);

/**
 * How often the fixture's workflow function reads `Math` and `Array` from the global object of a
 * `vm` context (where the SDK runs workflow code), once the bundle has loaded its modules.
 */
async function globalReadsOfHashEach(code: string, texts: string[]): Promise<number> {
  const context = vm.createContext({ __webpack_module_cache__: {} });
  vm.runInContext(
    `globalThis.reads = 0;
     for (const name of ['Math', 'Array']) {
       const value = globalThis[name];
       Object.defineProperty(globalThis, name, { get() { reads++; return value; }, configurable: true });
     }`,
    context,
  );
  vm.runInContext(code, context);
  const workflows = vm.runInContext('__TEMPORAL__.importWorkflows()', context);
  const loaded = context.reads as number;
  expect(await workflows.hashEach(texts)).toHaveLength(texts.length);
  return (context.reads as number) - loaded;
}

test('router workflow code reads the built-ins once per module, not at every use', async () => {
  const texts = ['olá', 'where is my order'];
  const sdkDefault = await bundleWorkflowCode({
    workflowsPath: BUILTINS_IN_LOOP_WORKFLOW,
    logger: quietLogger,
  });
  const router = await bundleWorkflowCode({
    workflowsPath: BUILTINS_IN_LOOP_WORKFLOW,
    logger: quietLogger,
    ...routerBundlerOptions,
  });
  // Each a call through the context's interceptor: a `Math` per character and an `Array` per text.
  expect(await globalReadsOfHashEach(sdkDefault.code, texts)).toBe(3 + 17 + texts.length);
  expect(await globalReadsOfHashEach(router.code, texts)).toBe(0);
}, 60_000);

/**
 * The modules of our own packages a bundle evaluates, as `shared/src/…` and `nodes/src/…` (webpack
 * names each by its path from the working directory).
 */
const ownModules = (code: string) =>
  new Set([...code.matchAll(/"[./]*((?:shared|nodes)\/src\/[^"]+\.ts)"/g)].map(([, path]) => path as string));

test('the router bundle leaves out the modules of shared and nodes the workflows never use', async () => {
  const workflowsPath = require.resolve('../../src/temporal/workerWorkflows.ts');
  const sdkDefault = ownModules((await bundleWorkflowCode({ workflowsPath, logger: quietLogger })).code);
  const router = ownModules(
    (await bundleWorkflowCode({ workflowsPath, logger: quietLogger, ...routerBundlerOptions })).code,
  );
  // API bodies, access rules and publish-time validation: in the SDK's bundle through the index.
  for (const unused of [
    'shared/src/admin.ts',
    'shared/src/access.ts',
    'nodes/src/validation/validateGraph.ts',
  ]) {
    expect(sdkDefault).toContain(unused);
    expect(router).not.toContain(unused);
  }
  // What the shards run stays: the interpreter and the node types' behaviour.
  for (const used of [
    'nodes/src/interpreter/step.ts',
    'nodes/src/actions/assign/index.ts',
    'shared/src/events.ts',
  ]) {
    expect(router).toContain(used);
  }
  expect(router.size).toBeLessThan(sdkDefault.size);
}, 120_000);
