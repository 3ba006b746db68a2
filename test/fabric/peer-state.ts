import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';

/**
 * Reading a Fabric peer's world state from its own LevelDB (CORE_LEDGER_STATE_STATEDATABASE=goleveldb).
 *
 * Why this way: the peer's state database is the world state itself, every key including the
 * secondary-index keys no chaincode query returns, with no chaincode change (an unrestricted
 * "dump state" transaction in production chaincode would leak every county's data to anyone with a
 * certificate). LevelDB allows one process at a time, so the peer is stopped, its state folder
 * copied, and the peer started again (it catches up from the ordering service and its
 * neighbours); the copy is opened with classic-level (LevelDB's C++ library reads goleveldb's files;
 * the format is the same).
 *
 * Encoding (fabric core/ledger: common/ledger/util/leveldbhelper, kvledger/txmgmt/statedb/stateleveldb,
 * privacyenabledstate):
 *   LevelDB key   = <channel> 0x00 'd' <namespace> 0x00 <key>
 *   namespace     = <chaincode> for public state, <chaincode>$$p<collection> for private data (member
 *                   peers only), <chaincode>$$h<collection> for the hashes (every peer; key = SHA-256 of
 *                   the key, value = SHA-256 of the value)
 *   LevelDB value = protobuf DBValue { bytes version = 1; bytes value = 2; bytes metadata = 3 }
 */
export interface PeerState {
  /** namespace -> key -> value (keys as latin1 strings of the raw bytes: hashed keys are binary) */
  readonly namespaces: Map<string, Map<string, Buffer>>;
}

export const ROOT = path.resolve(__dirname, '../../..');
const RUN = process.env.NETWORK_RUN_DIR ?? path.join(ROOT, 'network/run');

/** scripts/network/node.sh <cmd> <id>: stops/starts one node by its recorded PID. */
export function nodeCtl(cmd: 'stop' | 'start' | 'status', id: string): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts/network/node.sh'), cmd, id], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Stops the peer, copies its state database, starts it again, and decodes the copy. */
export async function readPeerState(peerId: string, channel: string): Promise<PeerState> {
  const copy = mkdtempSync(path.join(os.tmpdir(), `cl-state-${peerId}-`));
  nodeCtl('stop', peerId);
  try {
    cpSync(path.join(RUN, 'nodes', peerId, 'ledgersData', 'stateLeveldb'), copy, { recursive: true });
  } finally {
    nodeCtl('start', peerId);
  }
  try {
    return await decodeStateDb(copy, channel);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

export async function decodeStateDb(dir: string, channel: string): Promise<PeerState> {
  const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer', createIfMissing: false });
  await db.open();
  const namespaces = new Map<string, Map<string, Buffer>>();
  const prefix = Buffer.concat([Buffer.from(channel, 'utf8'), Buffer.from([0]), Buffer.from('d')]);
  const end = Buffer.concat([Buffer.from(channel, 'utf8'), Buffer.from([0]), Buffer.from('e')]);
  try {
    for await (const [k, v] of db.iterator({ gte: prefix, lt: end })) {
      const rest = k.subarray(prefix.length);
      const sep = rest.indexOf(0);
      const ns = rest.subarray(0, sep).toString('utf8');
      const key = rest.subarray(sep + 1).toString('latin1');
      if (!namespaces.has(ns)) namespaces.set(ns, new Map());
      namespaces.get(ns)!.set(key, dbValue(v));
    }
  } finally {
    await db.close();
  }
  return { namespaces };
}

/** Field 2 (value) of Fabric's DBValue protobuf; absent means an empty value. */
function dbValue(buf: Buffer): Buffer {
  let i = 0;
  const varint = (): number => {
    let n = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++]!;
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
      shift += 7;
    }
  };
  let value: Buffer = Buffer.alloc(0);
  while (i < buf.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 2) {
      const len = varint();
      if (field === 2) value = Buffer.from(buf.subarray(i, i + len));
      i += len;
    } else if (wire === 0) varint();
    else throw new Error(`unexpected protobuf wire type ${wire} in a state value`);
  }
  return Buffer.from(value);
}
