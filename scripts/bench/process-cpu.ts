/**
 * CPU seconds of processes and threads, from /proc: where a benchmark's two cores went (the
 * gateway's threads; on Fabric the peers, orderers, chaincode servers and this client).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** A /proc stat line's command name and CPU seconds (user + system; the name may hold spaces and parentheses). */
export function parseStat(stat: string): { name: string; seconds: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), seconds: (Number(fields[11]) + Number(fields[12])) / 100 };
}

/** CPU seconds a process has used (user + system), from /proc; undefined where /proc is absent or the process is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).seconds;
  } catch {
    return undefined;
  }
}

/** CPU seconds of each thread of a process, by thread ID (with its name); empty where /proc is absent. */
export function threadSecondsOf(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const { name, seconds } = parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
      out.set(`${tid === String(pid) ? 'main' : name}#${tid}`, seconds);
    }
  } catch {
    // no /proc: no breakdown
  }
  return out;
}

/** The kinds of process of a local Fabric network, by what its pids file records (scripts/network/common.sh, the node builder's run). */
export type NetworkProcessKind = 'peers' | 'orderers' | 'chaincode' | 'client';

/**
 * CPU seconds by kind: every process of the network's pids file (chaincode servers join as their peers start them) and this
 * process. Between two readings a process that exits (or a reused pid) makes its kind's difference wrong: a benchmark's
 * network keeps its processes for the run.
 */
export function networkCpuSeconds(pidsFile: string): Record<NetworkProcessKind, number> {
  const out: Record<NetworkProcessKind, number> = { peers: 0, orderers: 0, chaincode: 0, client: 0 };
  let lines: string[] = [];
  try {
    lines = readFileSync(pidsFile, 'utf8').split('\n');
  } catch {
    // no pids file: only the client
  }
  for (const line of lines) {
    const [pid, id, exe] = line.split(' ');
    if (!pid || !id || !exe) continue;
    const program = exe.slice(exe.lastIndexOf('/') + 1);
    const kind: NetworkProcessKind | undefined = id.startsWith('chaincode:')
      ? 'chaincode'
      : program === 'peer'
        ? 'peers'
        : program === 'orderer'
          ? 'orderers'
          : undefined;
    const seconds = kind ? cpuSecondsOf(Number(pid)) : undefined;
    if (kind && seconds !== undefined) out[kind] += seconds;
  }
  const self = process.cpuUsage();
  out.client = (self.user + self.system) / 1e6;
  return out;
}

/** CPU microseconds per operation by kind between two readings, e.g. "peers 812, orderers 95, chaincode 640, client 210 µs/tx". */
export function perOperation(before: Record<NetworkProcessKind, number>, after: Record<NetworkProcessKind, number>, operations: number, unit: string): string {
  const kinds = Object.keys(after) as NetworkProcessKind[];
  const parts = kinds.map((k) => `${k} ${(((after[k] - before[k]) * 1e6) / Math.max(1, operations)).toFixed(0)}`);
  const total = kinds.reduce((sum, k) => sum + after[k] - before[k], 0);
  return `${parts.join(', ')} µs/${unit} (all ${((total * 1e6) / Math.max(1, operations)).toFixed(0)})`;
}
