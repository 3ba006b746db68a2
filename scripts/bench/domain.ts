/**
 * Domain workload benchmark: the real transactions of the chaincode, mixed, on the embedded ledger,
 * directly (EmbeddedLedger.submit/evaluate in this process) and through the REST API (the real
 * gateway, `node dist/gateway-api/src/main.js` as `npm start` runs it: ledger on the main thread,
 * HTTP in a worker thread, in a child process, driven by keep-alive undici connections).
 *
 * The mix runs all at once: complete trades (list an eco product, order it, the verifier's pass,
 * settlement) between PAIRS seller/buyer enterprise pairs, single and bulk (1,000 codes) blacklist
 * checks, credit events (fulfilment records, several per subject so they contend), fund-round
 * proposals (single-day periods of one year, which contend on that year's index). Reported: trades
 * per second over the mix, p50/p95/p99 per operation, the MVCC conflict rate (invalidated
 * transactions in the blocks of the mix / all; the ledger re-submits them). Then evidence
 * anchoring of 1 KiB, 1 MiB and 25 MiB files, one at a time, in MB/s against the limit of
 * `sha256sum` + `openssl dgst -sm3` on the same file.
 *
 *   npm run bench:domain
 *   BENCH_TRADES=400 BENCH_PAIRS=32 npm run bench:domain
 */
import '../../gateway-api/src/quiet-logs';
import { execFileSync, spawn, spawnSync, ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { tx } from '../../chaincode/src/catalogue';
import { buildCreditCode } from '../../chaincode/src/kernel/credit-code';
import { TransactionDefinition } from '../../chaincode/src/kernel/transaction';
import { contracts } from '../../chaincode/src/index';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { answerOf } from '../../gateway-api/src/ledger/calls';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { Actor, Cast, CastEnv, DIVISION, embeddedEnv, F, H, L, Party, setUp } from './domain-cast';
import { openFabric } from '../../gateway-api/src/ledger/fabric/open-fabric';
import { Ledger } from '../../gateway-api/src/ledger/ledger';
import { GATEWAY_NODE_FLAGS } from '../../gateway-api/src/node-flags';
import { networkCpuSeconds, perOperation } from './process-cpu';
import { COSTS, floorFigures, meanProbe, normalised, Probe } from './probe';
import { describeError, drive, figures, machineProbe, printTable, RunFigures } from './stats';

const FABRIC = process.argv.includes('--fabric');
const TRADES = Number(process.env.BENCH_TRADES ?? (FABRIC ? 300 : 400));
/** Sellers and as many buyers: SIDE² pairs; the risk rule allows 3 trades per pair in 24 hours, the bench makes at most 2. */
const SIDE = Number(process.env.BENCH_SIDE ?? (FABRIC ? 13 : 16));
/** Trades under way at once. On Fabric as many as the Bench:Put-style figure has transactions in flight (FABRIC_PUT_CONCURRENCY), so the two rates are taken at the same offered load. */
const TRADE_WORKERS = Number(process.env.BENCH_TRADE_WORKERS ?? (FABRIC ? 150 : 48));
const CHECKS = Number(process.env.BENCH_CHECKS ?? (FABRIC ? 300 : 3000));
const BULK_CHECKS = Number(process.env.BENCH_BULK_CHECKS ?? (FABRIC ? 5 : 20));
const EVENTS = Number(process.env.BENCH_EVENTS ?? (FABRIC ? 100 : 600));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (FABRIC ? 30 : 120));
const FABRIC_PUTS = Number(process.env.BENCH_FABRIC_PUTS ?? 1500);
const FABRIC_PUT_CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 150);
const EVIDENCE: ReadonlyArray<[label: string, bytes: number, count: number]> = [
  ['1 KiB', 1024, Number(process.env.BENCH_EVIDENCE_SMALL ?? (FABRIC ? 20 : 200))],
  ['1 MiB', 1024 * 1024, Number(process.env.BENCH_EVIDENCE_MEDIUM ?? (FABRIC ? 5 : 20))],
  ['25 MiB', 25 * 1024 * 1024, Number(process.env.BENCH_EVIDENCE_LARGE ?? (FABRIC ? 1 : 3))],
];
/** Eco-product categories the trades spread over: each settles into its category's price index, one key per category. */
const CATEGORIES = ['honey', 'tea', 'walnut', 'mushroom', 'pepper', 'kiwi', 'herbs', 'rice'];

const say = (line: string) => process.stdout.write(`${line}\n`);

/** A call of the workload, as a direct ledger call and as its REST route. */
interface Call {
  readonly def: TransactionDefinition;
  readonly input: unknown;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** The REST body: the input less what the URL carries (undefined for a GET). */
  readonly body?: unknown;
}

interface Client {
  readonly name: string;
  /** Answers the transaction's result (REST: the `result` of a 201, or the 200 body). */
  call(who: Actor, call: Call): Promise<any>;
  upload(who: Actor, file: string, subjectId: string): Promise<void>;
  height(): Promise<number>;
  validationCodes(from: number, to: number): Promise<string[]>;
}

const FOREST = {
  metric: 'indicator',
  name: 'forest-coverage',
  weightBp: 10000,
  values: [
    { county: L, value: 50 },
    { county: H, value: 30 },
    { county: F, value: 20 },
  ],
};

function dayOf(base: string, days: number): string {
  return new Date(Date.parse(`${base}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

type Samples = Map<string, { latencies: number[]; failures: number; firstError?: unknown }>;

/** Times `op` under `label`. */
async function timed<T>(samples: Samples, label: string, op: () => Promise<T>): Promise<T> {
  let s = samples.get(label);
  if (!s) samples.set(label, (s = { latencies: [], failures: 0 }));
  const t0 = process.hrtime.bigint();
  try {
    const r = await op();
    s.latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    return r;
  } catch (err) {
    s.failures++;
    s.firstError ??= err;
    throw err;
  }
}

/** The mixed workload on one side; answers the rows, trades per second and the conflict rate. */
async function mix(
  client: Client,
  cast: Cast,
): Promise<{ rows: RunFigures[]; tradesPerSecond: number; conflicts: string; blocks: number; txs: number; validTxs: number; seconds: number }> {
  const samples: Samples = new Map();
  const h0 = await client.height();
  const t0 = process.hrtime.bigint();
  const swallow = () => undefined;
  const trades = drive(TRADES, TRADE_WORKERS, async (i) => {
    // Trade i between seller i mod SIDE and buyer (i div SIDE) mod SIDE: every pair in turn.
    const seller = cast.sellers[i % SIDE] as Party;
    const buyer = cast.buyers[Math.floor(i / SIDE) % SIDE] as Party;
    const start = process.hrtime.bigint();
    const asset = await timed(samples, 'trade: list asset', () =>
      client.call(seller.merchant, {
        def: tx.market.registerAsset,
        method: 'POST',
        url: '/assets',
        input: {
          ownerSubjectId: seller.subject,
          kind: 'eco-product',
          title: `Liangdang wild honey, lot ${i}`,
          category: CATEGORIES[i % CATEGORIES.length] as string,
          costFen: 100_000,
          priceFen: 130_000,
          evidenceRefs: ['doc:production-1'],
          certifications: [{ kind: 'soil-test', sha256: seller.certSha }],
        },
      }),
    );
    const order = await timed(samples, 'trade: place order', () =>
      client.call(buyer.merchant, {
        def: tx.market.placeOrder,
        method: 'POST',
        url: '/orders',
        input: { assetId: asset.id, buyerSubjectId: buyer.subject, depositFen: 10_000, depositPaymentRef: `pay:deposit-${i}` },
      }),
    );
    await timed(samples, 'trade: verification', () =>
      client.call(cast.verifier, {
        def: tx.market.recordVerification,
        method: 'POST',
        url: `/orders/${order.id}/verification`,
        input: { orderId: order.id, result: 'pass', evidenceRefs: ['doc:inspection-1'] },
        body: { result: 'pass', evidenceRefs: ['doc:inspection-1'] },
      }),
    );
    await timed(samples, 'trade: settle', () =>
      client.call(buyer.merchant, {
        def: tx.market.settleOrder,
        method: 'POST',
        url: `/orders/${order.id}/settlement`,
        input: { orderId: order.id, paymentRef: `pay:balance-${i}` },
        body: { paymentRef: `pay:balance-${i}` },
      }),
    );
    const s = samples.get('trade (4 submits)') ?? { latencies: [], failures: 0 };
    s.latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    samples.set('trade (4 submits)', s);
  });
  const checker = cast.regulators[H] as Actor;
  const checks = drive(CHECKS, 4, (i) => {
    const c = cast.checked[i % cast.checked.length] as string;
    return timed(samples, 'blacklist check', () =>
      client.call(checker, { def: tx.credit.checkSubject, method: 'GET', url: `/blacklist/check/${c}`, input: { subjectId: c } }),
    ).catch(swallow);
  });
  const bulks = drive(BULK_CHECKS, 1, (k) => {
    const codes = Array.from({ length: 1000 }, (_, j) =>
      j % 10 === 0 ? (cast.checked[(k + j) % cast.checked.length] as string) : buildCreditCode('91', DIVISION[F] as string, 500_000 + j),
    );
    return timed(samples, 'bulk check x1000', () =>
      client.call(checker, { def: tx.credit.checkSubjects, method: 'POST', url: '/blacklist/check', input: { codes } }),
    ).catch(swallow);
  });
  const events = drive(EVENTS, 8, (i) => {
    const p = cast.sellers[i % SIDE] as Party;
    return timed(samples, 'credit event', () =>
      client.call(cast.regulators[L] as Actor, {
        def: tx.credit.recordEvent,
        method: 'POST',
        url: '/credit-events',
        input: { subjectId: p.subject, kind: 'fulfilment', summary: `contract ${i} fulfilled`, evidenceRefs: ['doc:f'] },
      }),
    ).catch(swallow);
  });
  const counties = [L, H, F];
  const rounds = drive(ROUNDS, 4, (i) => {
    const day = dayOf('2024-01-01', i);
    const input = { periodFrom: day, periodTo: day, poolFen: 1000, metrics: [FOREST] };
    return timed(samples, 'fund round proposal', () =>
      client.call(cast.finance[counties[i % 3] as string] as Actor, { def: tx.fund.proposeRound, method: 'POST', url: '/fund/rounds', input }),
    ).catch(swallow);
  });
  const t = await trades;
  await Promise.all([checks, bulks, events, rounds]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (t.firstError) say(`${client.name}: first trade error: ${describeError(t.firstError)}`);
  for (const [label, s] of samples) if (s.firstError) say(`${client.name} ${label}: ${s.failures} failed, first: ${describeError(s.firstError)}`);
  const h1 = await client.height();
  const codes = await client.validationCodes(h0, h1);
  const invalid = codes.filter((c) => c !== 'VALID').length;
  const rows = [...samples].map(([label, s]) => {
    const cost = label.startsWith('trade (')
      ? undefined
      : label.includes('check')
        ? COSTS.evaluate
        : COSTS.embeddedSubmit(codes.length > 0 ? codes.length / Math.max(1, h1 - h0) : 40);
    return figures(`${client.name} ${label}`, s.latencies, s.failures, seconds, cost);
  });
  const submitted = [...samples].filter(([label]) => !label.includes('check') && !label.startsWith('trade ('));
  rows.push(
    figures(
      `${client.name} all submits of the mix`,
      submitted.flatMap(([, s]) => s.latencies),
      submitted.reduce((n, [, s]) => n + s.failures, 0),
      seconds,
      COSTS.embeddedSubmit(codes.length > 0 ? codes.length / Math.max(1, h1 - h0) : 40),
    ),
  );
  return {
    rows,
    tradesPerSecond: t.latencies.length / seconds,
    conflicts: `${invalid} of ${codes.length} transactions (${((invalid / Math.max(1, codes.length)) * 100).toFixed(2)}%)`,
    blocks: h1 - h0,
    txs: codes.length,
    validTxs: codes.length - invalid,
    seconds,
  };
}

/** Files of the sizes to anchor, each of distinct content; and the time sha256sum + openssl's SM3 take on one of them. */
function evidenceFiles(dir: string, side: string): Array<{ label: string; bytes: number; files: string[]; limitMBps: number }> {
  return EVIDENCE.map(([label, bytes, count]) => {
    const files = Array.from({ length: count }, (_, i) => {
      const file = path.join(dir, `${side}-${bytes}-${i}.bin`);
      const b = Buffer.alloc(bytes, (i * 31 + bytes) % 251);
      b.write(`${side} evidence ${label} #${i} `);
      writeFileSync(file, b);
      return file;
    });
    // Each tool once over the size's files, named again until at least 64 MB pass through it, so
    // that the limit is the tools' hashing rather than their start-up (the files are in the page cache).
    // (At most 2,000 names per call: for 1 KiB files the limit then still holds the tools' start-up, a few ms.)
    const repeats = Math.max(1, Math.min(Math.ceil(64e6 / (bytes * files.length)), Math.floor(2000 / files.length)));
    const args = Array.from({ length: repeats }, () => files).flat();
    const t0 = process.hrtime.bigint();
    execFileSync('sha256sum', args, { maxBuffer: 1 << 28 });
    execFileSync('openssl', ['dgst', '-sm3', ...args], { maxBuffer: 1 << 28 });
    const limitSeconds = Number(process.hrtime.bigint() - t0) / 1e9 / repeats;
    return { label, bytes, files, limitMBps: (bytes * files.length) / 1e6 / limitSeconds };
  });
}

async function evidence(client: Client, cast: Cast, dir: string): Promise<string[]> {
  const p = cast.sellers[0] as Party;
  const lines: string[] = [];
  for (const size of evidenceFiles(dir, client.name)) {
    const latencies: number[] = [];
    const t0 = process.hrtime.bigint();
    for (const file of size.files) {
      const s = process.hrtime.bigint();
      await client.upload(p.merchant, file, p.subject);
      latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const r = figures(`${client.name} evidence ${size.label}`, latencies, 0, seconds);
    const mbps = (size.bytes * size.files.length) / 1e6 / seconds;
    lines.push(
      `${r.label.padEnd(26)} ${String(r.count).padStart(4)} files  ${mbps.toFixed(mbps < 1 ? 3 : 1).padStart(7)} MB/s (${(r.count / seconds).toFixed(1)} files/s)  (limit sha256sum + SM3 ${size.limitMBps.toFixed(1)} MB/s: ${((mbps / size.limitMBps) * 100).toFixed(0)}%)  ` +
        `p50 ${r.p50ms.toFixed(1)} ms, p99 ${r.p99ms.toFixed(1)} ms`,
    );
  }
  return lines;
}

async function digestsOf(file: string): Promise<{ sha256: string; sm3: string; sizeBytes: number }> {
  const sha = createHash('sha256');
  const sm3 = createHash('sm3');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    sha.update(chunk as Buffer);
    sm3.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sha256: sha.digest('hex'), sm3: sm3.digest('hex'), sizeBytes };
}

function directClient(ledger: EmbeddedLedger): Client {
  return {
    name: 'direct',
    async call(who, c) {
      const request = { name: c.def.qualifiedName, args: [JSON.stringify(c.input)] };
      const payload =
        c.method === 'GET' || c.def === tx.credit.checkSubjects
          ? await ledger.evaluate(who.identity, request)
          : (await ledger.submit(who.identity, request)).payload;
      return answerOf(c.def, payload);
    },
    async upload(who, file, subjectId) {
      // What the gateway does with an upload, less HTTP: both digests of the file, then the anchor.
      const d = await digestsOf(file);
      await ledger.submit(who.identity, {
        name: tx.evidence.anchor.qualifiedName,
        args: [JSON.stringify({ ...d, mediaType: 'application/octet-stream', refs: { subjectIds: [subjectId] } })],
      });
    },
    height: () => ledger.height(),
    validationCodes: (from, to) => codesOf(ledger, from, to),
  };
}

async function codesOf(ledger: EmbeddedLedger, from: number, to: number): Promise<string[]> {
  const out: string[] = [];
  for (let n = from; n < to; n++) out.push(...((await ledger.getBlock(n))?.metadata.validationCodes ?? []));
  return out;
}

/** REST: the gateway's ledger is in its process; the height is followed from the block numbers of the submits' answers. */
function restClient(pool: Pool, startHeight: number): Client {
  let height = startHeight;
  const json = async (who: Actor, method: 'GET' | 'POST', url: string, body?: unknown) => {
    const res = await pool.request({
      method,
      path: `/api/v1${url}`,
      headers: { authorization: `Bearer ${who.apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
    return JSON.parse(text) as any;
  };
  return {
    name: 'REST',
    async call(who, c) {
      const r = await json(who, c.method, c.url, c.method === 'POST' ? (c.body ?? c.input) : undefined);
      if (typeof r.blockNumber === 'number') height = Math.max(height, r.blockNumber + 1);
      return c.method === 'POST' && c.def !== tx.credit.checkSubjects ? r.result : r;
    },
    async upload(who, file, subjectId) {
      // multipart/form-data written out: the refs field, then the file part.
      const boundary = `----county-bench-${path.basename(file)}`;
      const head = Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="refs"\r\n\r\n${JSON.stringify({ subjectIds: [subjectId] })}\r\n` +
          `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${path.basename(file)}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
      );
      const body = Buffer.concat([head, await readFile(file), Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const res = await pool.request({
        method: 'POST',
        path: '/api/v1/evidence',
        headers: { authorization: `Bearer ${who.apiKey}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
      });
      const text = await res.body.text();
      if (res.statusCode !== 201) throw new Error(`upload: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
    },
    height: async () => height,
    // Read after the gateway has stopped (main), from its ledger folder.
    validationCodes: async () => [],
  };
}

/**
 * Fabric, directly: members of every county sign their own proposals (identities from their own
 * county's wallet), all sent through Liangdang's peer, so that each step of a trade reads the
 * commits of the one before (a submit waits for the commit on the peer it was sent to).
 */
function fabricClient(ledgers: Record<string, Ledger>): Client {
  const first = ledgers[L] as Ledger;
  const of = (_who: Actor) => first;
  return {
    name: 'Fabric',
    async call(who, c) {
      const request = { name: c.def.qualifiedName, args: [JSON.stringify(c.input)] };
      const payload =
        c.method === 'GET' || c.def === tx.credit.checkSubjects
          ? await of(who).evaluate(who.identity, request)
          : (await of(who).submit(who.identity, request)).payload;
      return answerOf(c.def, payload);
    },
    async upload(who, file, subjectId) {
      const d = await digestsOf(file);
      await of(who).submit(who.identity, {
        name: tx.evidence.anchor.qualifiedName,
        args: [JSON.stringify({ ...d, mediaType: 'application/octet-stream', refs: { subjectIds: [subjectId] } })],
      });
    },
    height: () => first.height(),
    async validationCodes(from, to) {
      const out: string[] = [];
      for (let n = from; n < to; n++) out.push(...((await first.blockView?.(n))?.transactions.map((t) => t.validationCode) ?? []));
      return out;
    },
  };
}

/**
 * The domain workload on the Fabric network of FABRIC_NETWORK (with-network.sh brings one up),
 * directly through fabric-gateway, one connection per county; and, on the same network in the
 * same run, the Bench:Put-style figure (Membership:GrantRole of fresh members, one read and four
 * writes, never conflicting; as bench:fabric) that the domain workload's committed rate is held to.
 */
async function fabricMain(dir: string): Promise<void> {
  const before = machineProbe('before');
  const ledgers: Record<string, Ledger> = {};
  const wallets: Record<string, Wallet> = {};
  for (const m of [L, H, F]) {
    const opened = await openFabric(path.join(dir, m), { ...process.env, FABRIC_MSP_ID: m });
    ledgers[m] = opened.ledger;
    wallets[m] = opened.wallet;
  }
  try {
    const env: CastEnv = {
      async identity(mspId, member) {
        const w = wallets[mspId] as Wallet;
        await w.issue(mspId, member, member.startsWith('admin') ? 'admin' : 'client');
        return { identity: w.ledgerIdentity(mspId, member), apiKey: '' };
      },
      submit: (who, request) => (ledgers[L] as Ledger).submit(who.identity, request),
    };
    const s0 = process.hrtime.bigint();
    const cast = await setUp(env, SIDE, 12);
    say(`cast set up on Fabric in ${(Number(process.hrtime.bigint() - s0) / 1e9).toFixed(1)} s`);
    const client = fabricClient(ledgers);
    // Where the cores go: CPU per committed transaction of the peers, orderers, chaincode servers and this client, mix against Put-style.
    const pidsFile = path.join(path.dirname(process.env.FABRIC_NETWORK ?? ''), 'pids');
    const mixCpu0 = networkCpuSeconds(pidsFile);
    const m = await mix(client, cast);
    const mixCpu = perOperation(mixCpu0, networkCpuSeconds(pidsFile), m.validTxs, 'committed tx');
    const ev = await evidence(client, cast, dir);
    // Bench:Put-style on the same network: GrantRole of fresh members, closed loop.
    const adminId = (wallets[L] as Wallet).ledgerIdentity(L, 'admin');
    const run = Date.now().toString(36);
    const h0 = await client.height();
    const putCpu0 = networkCpuSeconds(pidsFile);
    const put = await drive(FABRIC_PUTS, FABRIC_PUT_CONCURRENCY, (i) =>
      (ledgers[L] as Ledger).submit(adminId, {
        name: tx.membership.grantRole.qualifiedName,
        args: [JSON.stringify({ member: `bench-${run}-${i}`, role: 'auditor' })],
      }),
    );
    const putCpu = perOperation(putCpu0, networkCpuSeconds(pidsFile), put.latencies.length, 'committed tx');
    if (put.firstError) say(`Bench:Put-style: ${put.failures} failed, first: ${describeError(put.firstError)}`);
    const putBlocks = (await client.height()) - h0;
    const probe = meanProbe(before, machineProbe('after'));
    const perBlock = FABRIC_PUTS / Math.max(1, putBlocks);
    const putRow = figures(
      `Fabric Bench:Put-style (GrantRole, ${FABRIC_PUT_CONCURRENCY} in flight)`,
      put.latencies,
      put.failures,
      put.seconds,
      COSTS.fabricSubmit(perBlock),
    );
    const rows = m.rows.map((r) =>
      r.cost && r.cost.signs > 0 ? { ...r, cost: COSTS.fabricSubmit(m.txs / Math.max(1, m.blocks)) } : r.cost ? { ...r, cost: COSTS.fabricEvaluate } : r,
    );
    printTable([...rows, putRow], probe);
    report('Fabric', m, probe);
    const valid = m.validTxs;
    const domainCommitted = valid / m.seconds;
    say(
      `Fabric committed transactions of the domain workload: ${domainCommitted.toFixed(1)}/s (${valid} VALID in ${m.seconds.toFixed(1)} s; normalised ${normalised(domainCommitted, probe).toFixed(4)}); ` +
        `Bench:Put-style ${putRow.perSecond.toFixed(1)}/s (normalised ${normalised(putRow.perSecond, probe).toFixed(4)}); ratio ${((domainCommitted / putRow.perSecond) * 100).toFixed(1)}% (target ≥ 80%)`,
    );
    say(`CPU of the mix (its evaluates included): ${mixCpu}`);
    say(`CPU of the Bench:Put-style run: ${putCpu}`);
    say('evidence anchoring, one file at a time:');
    for (const line of ev) say(`  ${line}`);
  } finally {
    for (const l of Object.values(ledgers)) await l.close();
  }
}

/** The gateway as npm start runs it, on `dataDir`; answers once it listens. */
function startGateway(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...GATEWAY_NODE_FLAGS, ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), path.join(__dirname, '../../gateway-api/src/main.js')],
      {
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          PORT: '0',
          HOST: '127.0.0.1',
          DEMO: '0',
          KEY_RATE_BURST: '1000000000',
          KEY_RATE_PER_SECOND: '1000000000',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /County Ledger API on https?:\/\/[^:]+:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited with ${code}: ${out.slice(-500)}`)));
  });
}

async function openLedger(dir: string, wallet: Wallet): Promise<EmbeddedLedger> {
  return EmbeddedLedger.open({ dataDir: dir, contracts, trustedCas: wallet.trustedCas(), endorsers: wallet.endorsers(), ordering: await wallet.ordering() });
}

function report(side: string, m: Awaited<ReturnType<typeof mix>>, probe: Probe): void {
  say(
    `${side}: ${TRADES} trades in the mix: ${m.tradesPerSecond.toFixed(1)} trades/s (normalised ${normalised(m.tradesPerSecond, probe).toFixed(4)}); ` +
      `${m.txs} transactions in ${m.blocks} blocks; MVCC conflicts ${m.conflicts}`,
  );
}

async function main(): Promise<void> {
  if (process.argv.includes('--fabric') && !process.env.FABRIC_NETWORK) {
    // Fixed ports: one network per machine, hence the lock; the network is always taken down after.
    const root = path.join(__dirname, '../../..');
    const r = spawnSync(
      'flock',
      ['/tmp/county-fabric.lock', 'bash', path.join(root, 'scripts/bench/with-network.sh'), process.execPath, __filename, '--fabric'],
      {
        stdio: 'inherit',
        cwd: root,
      },
    );
    process.exit(r.status ?? 1);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-bench-domain-'));
  if (process.argv.includes('--fabric')) {
    say(
      `domain workload benchmark on Fabric (${process.env.FABRIC_NETWORK}): ${TRADES} trades over ${SIDE * SIDE} pairs, ${CHECKS} checks, ${BULK_CHECKS} bulk checks of 1000, ${EVENTS} credit events, ${ROUNDS} fund-round proposals; ` +
        `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
    );
    try {
      await fabricMain(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  try {
    say(
      `domain workload benchmark: ${TRADES} trades over ${SIDE * SIDE} seller/buyer pairs, ${CHECKS} checks, ${BULK_CHECKS} bulk checks of 1000, ${EVENTS} credit events, ${ROUNDS} fund-round proposals; ` +
        `evidence ${EVIDENCE.map(([l, , n]) => `${n} × ${l}`).join(', ')}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
    );
    const before = machineProbe('before');
    // Direct.
    const directDir = path.join(dir, 'direct');
    const wallet = await Wallet.open(path.join(directDir, 'wallet'), DEFAULT_COUNTIES);
    const ledger = await openLedger(path.join(directDir, 'ledger'), wallet);
    const cast = await setUp(embeddedEnv(ledger, wallet, await ApiKeyStore.open(path.join(directDir, 'api-keys.json'))), SIDE);
    const d = await mix(directClient(ledger), cast);
    const dEvidence = await evidence(directClient(ledger), cast, dir);
    await ledger.close();
    // REST: the cast set up on the gateway's own data folder, then the gateway started on it.
    const restDir = path.join(dir, 'rest');
    const restWallet = await Wallet.open(path.join(restDir, 'wallet'), DEFAULT_COUNTIES);
    const setupLedger = await openLedger(path.join(restDir, 'ledger'), restWallet);
    const restCast = await setUp(embeddedEnv(setupLedger, restWallet, await ApiKeyStore.open(path.join(restDir, 'api-keys.json'))), SIDE);
    const setupHeight = await setupLedger.height();
    await setupLedger.close();
    const { child, port } = await startGateway(restDir);
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 64, pipelining: 1 });
    let r: Awaited<ReturnType<typeof mix>>;
    let rEvidence: string[];
    try {
      r = await mix(restClient(pool, setupHeight), restCast);
      rEvidence = await evidence(restClient(pool, setupHeight), restCast, dir);
    } finally {
      await pool.close();
      child.kill('SIGTERM');
      await new Promise((res) => child.once('exit', res));
    }
    // The gateway is stopped: its ledger's blocks can be read for the conflict count.
    const after = machineProbe('after');
    const probe = meanProbe(before, after);
    const reader = await openLedger(path.join(restDir, 'ledger'), restWallet);
    const restCodes = await codesOf(reader, setupHeight, setupHeight + r.blocks);
    await reader.close();
    const invalid = restCodes.filter((c) => c !== 'VALID').length;
    r = {
      ...r,
      conflicts: `${invalid} of ${restCodes.length} transactions (${((invalid / Math.max(1, restCodes.length)) * 100).toFixed(2)}%)`,
      txs: restCodes.length,
    };
    printTable([...d.rows, ...r.rows], probe);
    report('direct', d, probe);
    report('REST', r, probe);
    say('evidence anchoring, one file at a time:');
    for (const line of [...dEvidence, ...rEvidence]) say(`  ${line}`);
    say(
      `REST / direct trades: ${((r.tradesPerSecond / d.tradesPerSecond) * 100).toFixed(1)}%; a trade's crypto floor (4 submits): ${floorFigures(0, COSTS.embeddedSubmit(d.txs / Math.max(1, d.blocks)), probe).floor} submits/s ÷ 4`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
