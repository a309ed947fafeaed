import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { round } from './percentiles';

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream architecture. */
const MS_PER_TICK = 10;

interface ProcStat {
  ppid: number;
  cpuMs: number;
}

/** utime + stime and the parent of one process, from /proc; null once it has gone. */
function procStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK };
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (procStat(Number(entry))?.ppid === pid) children.push(Number(entry));
  }
  return children;
}

/** CPU time of the product's processes, by role, so that a run can be billed per conversation. */
export interface CpuSample {
  runtimeMs: number;
  workerMs: number;
  analyticsMs: number;
  temporalMs: number;
  loadGeneratorMs: number;
}

/** The runtime's child that runs the analytics fold (src/analytics/foldChild.ts), by its command line. */
function isFoldChild(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('foldChild');
  } catch {
    return false;
  }
}

/**
 * Samples CPU time used so far by the runtime, its router worker child, its analytics fold child, the
 * Temporal dev server and this load generator. The machine is shared: wall-clock rates swing with
 * the neighbours' load, CPU per conversation much less.
 */
export function cpuSampler(runtimePid: number, temporalPid: number): () => CpuSample {
  const children = childrenOf(runtimePid);
  const folds = children.filter(isFoldChild);
  const workers = children.filter((pid) => !folds.includes(pid));
  const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + (procStat(pid)?.cpuMs ?? 0), 0);
  return () => {
    const own = process.cpuUsage();
    return {
      runtimeMs: procStat(runtimePid)?.cpuMs ?? 0,
      workerMs: cpuOf(workers),
      analyticsMs: cpuOf(folds),
      temporalMs: procStat(temporalPid)?.cpuMs ?? 0,
      loadGeneratorMs: Math.round((own.user + own.system) / 1000),
    };
  };
}

/** CPU ms per conversation between two samples, per process and in total for the product. */
export function cpuPerConversation(before: CpuSample, after: CpuSample, conversations: number) {
  const per = (key: keyof CpuSample) => round((after[key] - before[key]) / Math.max(1, conversations), 3);
  const runtime = per('runtimeMs');
  const worker = per('workerMs');
  const analytics = per('analyticsMs');
  const temporal = per('temporalMs');
  return {
    runtime,
    worker,
    analytics,
    temporal,
    product: round(runtime + worker + analytics + temporal, 3),
    loadGenerator: per('loadGeneratorMs'),
  };
}

/** 1, 5 and 15-minute load averages: how busy the shared machine was. */
export function loadAverage(): number[] {
  return loadavg().map((value) => round(value, 2));
}
