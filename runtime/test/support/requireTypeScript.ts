/*
 * The Temporal SDK loads the router's payload converter (src/temporal/payloadConverter.ts) with
 * `require()`. The runtime runs under tsx, which compiles TypeScript for `require()` too; vitest
 * compiles only what it imports itself, so the tests register tsx's require hook the same way.
 */
import { register } from 'tsx/cjs/api';

register();
