import { monitorEventLoopDelay } from 'node:perf_hooks';
import { round } from './percentiles';

/**
 * Starts watching how long this process's event loop is blocked. In the load generator a long block
 * would delay sends and socket reads and show up as the runtime's latency; it must stay small.
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
