import { monitorEventLoopDelay } from 'node:perf_hooks';
import { round } from './percentiles';

/**
 * Starts watching how long the event loop is blocked. Webhooks, the dispatcher and the local
 * activities all run on this one loop, so a long block shows up as ack and routing latency.
 * Call the result to stop watching and read p99/max in ms.
 */
export function watchEventLoopDelay(): () => { p99: number; max: number } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return () => {
    histogram.disable();
    return { p99: round(histogram.percentile(99) / 1e6, 1), max: round(histogram.max / 1e6, 1) };
  };
}
