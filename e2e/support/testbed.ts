import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import type { AppDatabase } from '../../runtime/src/db/database';
import { GraphApiSimulator } from '../../runtime/src/whatsapp/simulator/graphApiSimulator';
import { assertEditorBuilt, startAnalyticsServer } from '../../runtime/test/support/analyticsServer';
import { startTestRuntime } from '../../runtime/test/support/runtimeHarness';
import { launchChromium, signedInPage } from './browser';

type TestRuntime = Awaited<ReturnType<typeof startTestRuntime>>;
type AnalyticsServer = Awaited<ReturnType<typeof startAnalyticsServer>>;
type Stop = () => Promise<void>;

/** What the Graph API simulator asks of callers, and so what the runtime under test is given. */
const SIMULATOR_ACCESS_TOKEN = 'simulator-token';

/**
 * What a browser test file drives, up from the file's beforeAll to its afterAll: the server under test
 * (its own data dir, port and task queue) and one Chromium whose contexts keep each person's cookies apart.
 */
interface Testbed {
  readonly browser: Browser;
  /** A page in a fresh browser context, signed in through the API as this demo person. */
  signedInPage(email: string, contextOptions?: BrowserContextOptions): Promise<Page>;
}

export interface RuntimeTestbed extends Testbed {
  /** The whole runtime, with the demo seeded, on the Temporal dev server the e2e project starts. */
  readonly app: TestRuntime;
  /** Only with `runtimeInChromium({ graphApiSimulator: true })`: where the runtime sends to WhatsApp. */
  readonly simulator: GraphApiSimulator;
}

export interface AnalyticsTestbed extends Testbed {
  /** The editor with the analytics, SLA policy and dry-run routes over one database, no Temporal. */
  readonly server: AnalyticsServer;
}

/**
 * Registers the file's beforeAll, which runs `start`, and its afterAll, which stops whatever `start`
 * brought up, last first. Each service hands over its stop as soon as it is up, so a start that fails
 * half-way still takes down what came up before it; a stop that fails does not leave the others up, and
 * its error fails the file.
 */
function upForAllTests(start: (stopAfterAll: (stop: Stop) => void) => Promise<void>): void {
  const stops: Stop[] = [];
  beforeAll(() => start((stop) => stops.push(stop)));
  afterAll(async () => {
    const failures: unknown[] = [];
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1)
      throw new AggregateError(failures, 'several services of the testbed failed to stop');
  });
}

/** Reading a testbed's service outside a test (before beforeAll, or after it failed) is the file's mistake. */
function up<T>(service: T | undefined, what: string): T {
  if (service === undefined)
    throw new Error(`${what} is not up: use the testbed inside tests and later hooks`);
  return service;
}

/**
 * The runtime under test and Chromium, for all of this file's tests; with `graphApiSimulator`, the
 * runtime sends its WhatsApp messages to the project's Graph API simulator.
 */
export function runtimeInChromium(options: { graphApiSimulator?: boolean } = {}): RuntimeTestbed {
  let app: TestRuntime | undefined;
  let browser: Browser | undefined;
  let simulator: GraphApiSimulator | undefined;
  upForAllTests(async (stopAfterAll) => {
    // The runtime only warns when the editor is not built, and serves no pages.
    assertEditorBuilt();
    let whatsApp: Record<string, string> = {};
    if (options.graphApiSimulator) {
      const graphApi = new GraphApiSimulator(SIMULATOR_ACCESS_TOKEN);
      whatsApp = {
        WHATSAPP_API_BASE_URL: await graphApi.start(),
        WHATSAPP_ACCESS_TOKEN: SIMULATOR_ACCESS_TOKEN,
      };
      simulator = graphApi;
      stopAfterAll(() => graphApi.stop());
    }
    const runtime = await startTestRuntime(inject('temporalAddress'), whatsApp);
    app = runtime;
    stopAfterAll(() => runtime.cleanup());
    const chromium = await launchChromium();
    browser = chromium;
    stopAfterAll(() => chromium.close());
  });
  const testbed: RuntimeTestbed = {
    get app() {
      return up(app, 'the runtime');
    },
    get browser() {
      return up(browser, 'Chromium');
    },
    get simulator() {
      return up(simulator, 'the Graph API simulator (runtimeInChromium({ graphApiSimulator: true }))');
    },
    signedInPage: (email, contextOptions) =>
      signedInPage(testbed.browser, testbed.app.url, email, contextOptions),
  };
  return testbed;
}

/** The analytics server over the database `scenario` builds, and Chromium, for all of this file's tests. */
export function analyticsServerInChromium(scenario: () => AppDatabase): AnalyticsTestbed {
  let server: AnalyticsServer | undefined;
  let browser: Browser | undefined;
  upForAllTests(async (stopAfterAll) => {
    const analytics = await startAnalyticsServer(scenario());
    server = analytics;
    stopAfterAll(() => analytics.close());
    const chromium = await launchChromium();
    browser = chromium;
    stopAfterAll(() => chromium.close());
  });
  const testbed: AnalyticsTestbed = {
    get server() {
      return up(server, 'the analytics server');
    },
    get browser() {
      return up(browser, 'Chromium');
    },
    signedInPage: (email, contextOptions) =>
      signedInPage(testbed.browser, testbed.server.url, email, contextOptions),
  };
  return testbed;
}
