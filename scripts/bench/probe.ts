/**
 * Figures any machine can compare: the machine probe (one P-256 signature and one verification,
 * timed in the run), the normalised figure (ops/s × seconds per signature) and the crypto floor of
 * an operation (the rate at which this machine's cores could do nothing but the signatures and
 * verifications the operation needs at the least). Every benchmark prints these beside ops/s.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import os from 'node:os';

/** One measurement of the machine: P-256 (SHA-256) sign and verify on one thread, and the load when it was taken. */
export interface Probe {
  /** Microseconds per P-256 signature of a 300-byte message. */
  readonly signUs: number;
  /** Microseconds per P-256 verification of the same message. */
  readonly verifyUs: number;
  /** os.loadavg() at the time of the probe: the machine is shared, so a slow phase shows here. */
  readonly loadavg: readonly [number, number, number];
}

/** Times `rounds` signatures and verifications (after a warm-up) on this thread. */
export function measureProbe(rounds = 2000): Probe {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const message = Buffer.alloc(300, 1);
  const signature = sign('sha256', message, privateKey);
  for (let i = 0; i < 200; i++) verify('sha256', message, publicKey, sign('sha256', message, privateKey));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) sign('sha256', message, privateKey);
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) verify('sha256', message, publicKey, signature);
  const t2 = process.hrtime.bigint();
  const [a, b, c] = os.loadavg();
  return {
    signUs: Number(t1 - t0) / rounds / 1000,
    verifyUs: Number(t2 - t1) / rounds / 1000,
    loadavg: [a ?? 0, b ?? 0, c ?? 0],
  };
}

/** The probe of two moments (before and after a run): the mean of both, and the load of the later one. */
export function meanProbe(a: Probe, b: Probe): Probe {
  return { signUs: (a.signUs + b.signUs) / 2, verifyUs: (a.verifyUs + b.verifyUs) / 2, loadavg: b.loadavg };
}

export function describeProbe(p: Probe): string {
  return (
    `machine probe: P-256 sign ${p.signUs.toFixed(1)} µs, verify ${p.verifyUs.toFixed(1)} µs (lower is a faster machine); ` +
    `load average ${p.loadavg.map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`
  );
}

/**
 * The signatures and verifications one operation needs at the least, with the reasoning. Shares of
 * per-block work (the orderer's block signature) are fractions: 1 / transactions per block.
 */
export interface CryptoCost {
  readonly signs: number;
  readonly verifies: number;
  readonly why: string;
}

/** Cores the floor assumes: the benchmarks' reference machine has two, and every figure here is for two. */
export const FLOOR_CORES = 2;

/**
 * Operations per second if the cores did nothing but the operation's signatures and verifications:
 * cores / (signs × sign time + verifies × verify time). Infinity for an operation without any (an
 * evaluate): it has no crypto floor.
 */
export function floorRate(cost: CryptoCost, probe: Pick<Probe, 'signUs' | 'verifyUs'>, cores = FLOOR_CORES): number {
  const seconds = (cost.signs * probe.signUs + cost.verifies * probe.verifyUs) / 1e6;
  return seconds > 0 ? cores / seconds : Infinity;
}

/** ops/s × seconds per signature: the same program gives about the same figure on a faster or slower machine. */
export function normalised(opsPerSecond: number, probe: Pick<Probe, 'signUs'>): number {
  return (opsPerSecond * probe.signUs) / 1e6;
}

/** The share of the crypto floor a measured rate reaches (0 for an operation without a floor). */
export function floorShare(opsPerSecond: number, cost: CryptoCost, probe: Pick<Probe, 'signUs' | 'verifyUs'>, cores = FLOOR_CORES): number {
  const floor = floorRate(cost, probe, cores);
  return Number.isFinite(floor) ? opsPerSecond / floor : 0;
}

/**
 * The crypto costs of the operations the benchmarks measure. Counted from what the code does
 * (gateway-api/src/ledger/embedded/endorser.ts, committer.ts, creator-check.ts; Fabric's peer and
 * orderer), keeping only what cannot be left out.
 */
export const COSTS = {
  /**
   * Embedded submit with majority endorsement (2 of 3 counties): the creator signs the proposal (1),
   * the two endorsing peers sign the response (2), the ordering node signs each block (1 / tx per
   * block). Verifications: none on the submit path — the endorser and the committer run in the
   * process that made the signatures, and the creator's certificate and key are checked once per
   * identity (CreatorCheck), not per transaction; the chain audit verifies them later (COSTS.audit).
   */
  embeddedSubmit: (txPerBlock: number): CryptoCost => ({
    signs: 3 + 1 / Math.max(1, txPerBlock),
    verifies: 0,
    why: 'creator 1 + endorsers 2 + block 1/tx-per-block signatures; no verification on the path',
  }),
  /** Evaluate: an evaluated proposal is never recorded, so it is not signed; an API key is no signature. No crypto floor. */
  evaluate: { signs: 0, verifies: 0, why: 'unsigned proposal: no crypto floor' } as CryptoCost,
  /** Whole-chain audit of one transaction: creator and two endorsement signatures verified, and the block signature's share. */
  audit: (txPerBlock: number): CryptoCost => ({
    signs: 0,
    verifies: 3 + 1 / Math.max(1, txPerBlock),
    why: 'creator 1 + endorsements 2 + block 1/tx-per-block verifications',
  }),
  /**
   * Fabric submit, three peers (one per county), majority endorsement, one orderer (Raft, one node):
   * the client signs the proposal (1) and the envelope (1); the 2 endorsing peers each verify the
   * proposal (2) and sign their response (2); the orderer verifies the envelope (1) and signs the
   * block (1 / tx per block); each of the 3 committing peers verifies the block signature (3 / tx per
   * block), the creator's envelope signature (3) and both endorsements (6). All on this machine's cores.
   */
  fabricSubmit: (txPerBlock: number): CryptoCost => ({
    signs: 4 + 1 / Math.max(1, txPerBlock),
    verifies: 12 + 3 / Math.max(1, txPerBlock),
    why: 'signs: client proposal + envelope, 2 endorsements, block share; verifies: 2 endorsers, orderer, 3 peers × (creator + 2 endorsements) + block shares',
  }),
  /** Fabric evaluate: the client signs the proposal (1), the peer verifies it (1) and signs its response (1). */
  fabricEvaluate: { signs: 2, verifies: 1, why: 'client proposal signature, peer verification and response signature' } as CryptoCost,
} as const;

/** The figures a benchmark prints beside ops/s: normalised, floor, share of the floor. */
export function floorFigures(opsPerSecond: number, cost: CryptoCost | undefined, probe: Probe): { normalised: string; floor: string; share: string } {
  const floor = cost ? floorRate(cost, probe) : Infinity;
  return {
    normalised: normalised(opsPerSecond, probe).toFixed(3),
    floor: Number.isFinite(floor) ? floor.toFixed(0) : '-',
    share: Number.isFinite(floor) ? `${((opsPerSecond / floor) * 100).toFixed(1)}%` : '-',
  };
}
