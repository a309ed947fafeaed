import type { Logger } from 'pino';
import type { Config } from '../../config';
import { GraphApiSimulator } from './graphApiSimulator';

const SIMULATOR_TOKEN = 'switchboard-simulator-token';

/**
 * Without Meta credentials (the demo, the tests) the runtime talks to its own Graph API simulator:
 * the returned config points sends and media at it, so the router worker (another process) does too.
 */
export async function startSimulatorIfWanted(
  config: Config,
  log: Logger,
): Promise<{ config: Config; simulator: GraphApiSimulator | null }> {
  const wanted =
    config.WHATSAPP_SIMULATOR === 'on' ||
    (config.WHATSAPP_SIMULATOR === 'auto' && !config.WHATSAPP_ACCESS_TOKEN);
  if (!wanted) return { config, simulator: null };
  // Half a second between ticks, so that a person watching the inbox sees sent → delivered → read.
  const simulator = new GraphApiSimulator(SIMULATOR_TOKEN, { statusDelayMs: 500 });
  const url = await simulator.start();
  log.info(
    { url },
    'Graph API simulator started (no WHATSAPP_ACCESS_TOKEN): sends and media stay on this machine',
  );
  return {
    config: { ...config, WHATSAPP_API_BASE_URL: url, WHATSAPP_ACCESS_TOKEN: SIMULATOR_TOKEN },
    simulator,
  };
}
