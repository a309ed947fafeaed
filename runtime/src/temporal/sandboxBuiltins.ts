/**
 * The JavaScript built-ins of the workflow sandbox, each read once when a workflow run loads its
 * modules. The router's workflow code runs in a Node `vm` context, whose global object answers every
 * lookup through an interceptor: on Node 20 a reference to a global such as `Array` or `Math` cost
 * about 300 ns, against a few through a local binding (`Array.isArray` two million times in a `vm`
 * context: 679 against 22 ms). The interpreter's hottest loop, hashing an effect request a character
 * at a time through `Math.imul`, was 1.2 s of the router worker's CPU in a profiled `steady2000`
 * run. The bundle (`routerBundlerOptions`) has webpack's ProvidePlugin turn every module's free
 * reference to one of these names into a module-level binding to the value below.
 *
 * Only built-ins that are the same object for every run in the context: the SDK replaces `Date`,
 * `setTimeout`, `clearTimeout`, `WeakRef` and `FinalizationRegistry` per run (they stay global
 * lookups), and `Math.random` is a property of the shared `Math`, which it sets once.
 */
const sandbox = globalThis;

export const sandboxBuiltins = {
  Object: sandbox.Object,
  Array: sandbox.Array,
  JSON: sandbox.JSON,
  Math: sandbox.Math,
  Number: sandbox.Number,
  String: sandbox.String,
  Boolean: sandbox.Boolean,
  Symbol: sandbox.Symbol,
  BigInt: sandbox.BigInt,
  Map: sandbox.Map,
  Set: sandbox.Set,
  WeakMap: sandbox.WeakMap,
  WeakSet: sandbox.WeakSet,
  Promise: sandbox.Promise,
  Reflect: sandbox.Reflect,
  Proxy: sandbox.Proxy,
  RegExp: sandbox.RegExp,
  Error: sandbox.Error,
  TypeError: sandbox.TypeError,
  RangeError: sandbox.RangeError,
  SyntaxError: sandbox.SyntaxError,
  Uint8Array: sandbox.Uint8Array,
  Uint32Array: sandbox.Uint32Array,
  ArrayBuffer: sandbox.ArrayBuffer,
  DataView: sandbox.DataView,
  TextEncoder: sandbox.TextEncoder,
  TextDecoder: sandbox.TextDecoder,
  Intl: sandbox.Intl,
  parseInt: sandbox.parseInt,
  parseFloat: sandbox.parseFloat,
  isFinite: sandbox.isFinite,
  isNaN: sandbox.isNaN,
};
