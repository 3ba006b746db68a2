import { nodeCtl } from './peer-state';

/** The parts of network/run/network.json the fault suites use (the hosts layout adds netns and hostLink). */
export interface RunDescription {
  channel: string;
  counties: Array<{ key: string; mspId: string; orderer: { operations: string }; peer: { operations?: string }; netns?: string; hostLink?: string }>;
}

/** The orderer that currently leads the Raft cluster of the channel (from its Prometheus metrics). */
export async function raftLeader(network: RunDescription): Promise<string | undefined> {
  for (const c of network.counties) {
    try {
      const text = await (await fetch(`${c.orderer.operations}/metrics`)).text();
      if (text.includes(`consensus_etcdraft_is_leader{channel="${network.channel}"} 1`)) return `${c.key}-orderer`;
    } catch {
      // stopped
    }
  }
  return undefined;
}

/** A node's block height from its Prometheus metrics (ledger_blockchain_height), undefined while it does not answer. */
export async function operationsHeight(operationsUrl: string, channel: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${operationsUrl}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
    const m = new RegExp(`^ledger_blockchain_height\\{channel="${channel}"\\} (\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Kills a node with SIGKILL (a crash, not a shutdown), by the PID scripts/network/node.sh knows. */
export function killNode(id: string): void {
  const m = /running \(pid (\d+)\)/.exec(nodeCtl('status', id));
  if (!m) throw new Error(`${id} is not running`);
  process.kill(Number(m[1]), 'SIGKILL');
}
