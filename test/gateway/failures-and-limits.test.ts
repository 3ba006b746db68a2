import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { expect } from 'chai';
import { FastifyInstance } from 'fastify';
import { tx } from '../../chaincode/src/catalogue';
import { AppSettings, buildApp } from '../../gateway-api/src/app';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { ChainVerification, Ledger } from '../../gateway-api/src/ledger/ledger';
import { hostLedger } from '../../gateway-api/src/ledger/remote/ledger-host';
import { LedgerReply, SUBSCRIPTION_WINDOW } from '../../gateway-api/src/ledger/remote/protocol';
import { RemoteLedger } from '../../gateway-api/src/ledger/remote/remote-ledger';
import { settle, sleep } from '../support/expect-error';
import { HUIXIAN, LedgerFixture, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';
import { openProbeFixture, probe } from '../support/probe';

/** A ledger like `real` with some methods replaced; the rest are the real ones. */
function overriding(real: Ledger, methods: Partial<Ledger>): Ledger {
  return new Proxy(real, {
    get(target, property) {
      if (property in methods) return methods[property as keyof Ledger];
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

interface Gateway {
  readonly app: FastifyInstance;
  readonly keys: ApiKeyStore;
  /** Log lines, parsed. */
  readonly log: Array<Record<string, unknown>>;
  key(mspId: string, member: string, ...roles: string[]): Promise<string>;
  close(): Promise<void>;
}

/** A gateway on `ledger` (through a MessagePort, as main.ts's HTTP worker has it, when asked), logging into memory. */
async function gatewayOn(f: LedgerFixture, ledger: Ledger, overMessagePort: boolean, settings: AppSettings = {}): Promise<Gateway> {
  let remote: { port: RemoteLedger; host: { close(): void } } | undefined;
  if (overMessagePort) {
    const { port1, port2 } = new MessageChannel();
    remote = { host: hostLedger(ledger, port1), port: new RemoteLedger(port2, 'embedded') };
  }
  const keys = await ApiKeyStore.open(path.join(f.dir, `keys-${Math.random().toString(16).slice(2)}.json`));
  const log: Array<Record<string, unknown>> = [];
  const app = await buildApp({
    ledger: remote ? remote.port : ledger,
    keys,
    identities: f.wallet,
    stateDir: path.join(f.dir, `gateway-${Math.random().toString(16).slice(2)}`),
    logLevel: 'info',
    logStream: { write: (line: string) => void log.push(JSON.parse(line) as Record<string, unknown>) },
    ...settings,
  });
  return {
    app,
    keys,
    log,
    async key(mspId, member, ...roles) {
      const admin = await f.identity(mspId, 'admin');
      await f.identity(mspId, member);
      for (const role of roles) await f.ledger.submit(admin, { name: tx.membership.grantRole.qualifiedName, args: [JSON.stringify({ member, role })] });
      return (await keys.create(mspId, member)).apiKey;
    },
    async close() {
      await app.close();
      if (remote) {
        await remote.port.close();
        remote.host.close();
      }
    },
  };
}

for (const overMessagePort of [false, true]) {
  const how = overMessagePort ? ' (ledger over a MessagePort)' : '';

  describe(`gateway failures: a 5xx carries a correlation ID, the log keeps the cause under it${how}`, () => {
    let f: LedgerFixture;
    let g: Gateway;
    before(async () => {
      f = await openLedgerFixture();
      // The ledger fails on one read the way a truncated .ldb file makes LevelDB fail.
      const failing = overriding(f.ledger, {
        evaluate: async (identity, request) => {
          if (request.name === tx.counties.list.qualifiedName) throw new Error('Corruption: truncated block read in 000042.ldb');
          return f.ledger.evaluate(identity, request);
        },
      });
      g = await gatewayOn(f, failing, overMessagePort);
    });
    after(async () => {
      await g.close();
      await f.cleanup();
    });

    it('answers 500 problem+json with a correlationId and no internals; the log has the cause on lines of that request', async () => {
      const key = await g.key(LIANGDANG, 'reader', 'auditor');
      const res = await g.app.inject({ method: 'GET', url: '/api/v1/counties', headers: { authorization: `Bearer ${key}` } });
      expect(res.statusCode).to.equal(500);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      const problem = res.json();
      expect(problem.code).to.equal('INTERNAL');
      expect(problem.correlationId)
        .to.be.a('string')
        .and.match(/^[0-9a-f-]{36}$/);
      expect(res.body).to.not.match(/Corruption|\.ldb|at .*\.js/);
      const lines = g.log.filter((l) => l.reqId === problem.correlationId);
      expect(lines.length, 'log lines of the request').to.be.greaterThan(0);
      const logged = lines.map((l) => JSON.stringify(l)).join('\n');
      expect(logged).to.include('Corruption: truncated block read in 000042.ldb');
      // a 4xx names no correlation ID: there is nothing to look up
      const refused = await g.app.inject({ method: 'GET', url: '/api/v1/counties' });
      expect(refused.statusCode).to.equal(401);
      expect(refused.json()).to.not.have.property('correlationId');
    });

    it('every request has its own ID', async () => {
      const key = await g.key(LIANGDANG, 'reader2', 'auditor');
      const ids = new Set<string>();
      for (let i = 0; i < 3; i++)
        ids.add((await g.app.inject({ method: 'GET', url: '/api/v1/counties', headers: { authorization: `Bearer ${key}` } })).json().correlationId);
      expect(ids.size).to.equal(3);
    });
  });

  describe(`gateway /audit/ledger: auditors only, one run at a time${how}`, () => {
    let f: LedgerFixture;
    let g: Gateway;
    let hold: { started: Promise<void>; release: () => void } | undefined;
    before(async () => {
      f = await openLedgerFixture();
      // verifyChain can be held in the middle, having reported its first progress.
      const held = overriding(f.ledger, {
        verifyChain: async (options = {}): Promise<ChainVerification> => {
          const h = hold;
          if (h) {
            options.onProgress?.(1000, 5000);
            h.release();
            await h.started;
          }
          return f.ledger.verifyChain(options);
        },
      });
      g = await gatewayOn(f, held, overMessagePort);
    });
    after(async () => {
      await g.close();
      await f.cleanup();
    });

    it('is refused (403) to a county admin, a merchant and a verifier; answered to an auditor', async () => {
      const admin = (await g.keys.create(LIANGDANG, 'admin')).apiKey;
      await f.identity(LIANGDANG, 'admin');
      for (const key of [admin, await g.key(LIANGDANG, 'aud-merchant', 'merchant'), await g.key(HUIXIAN, 'aud-verifier', 'verifier')]) {
        const res = await g.app.inject({ method: 'GET', url: '/api/v1/audit/ledger', headers: { authorization: `Bearer ${key}` } });
        expect(res.statusCode, res.body).to.equal(403);
        expect(res.json().code).to.equal('FORBIDDEN');
      }
      const auditor = await g.key(HUIXIAN, 'aud-1', 'auditor');
      const ok = await g.app.inject({ method: 'GET', url: '/api/v1/audit/ledger', headers: { authorization: `Bearer ${auditor}` } });
      expect(ok.statusCode, ok.body).to.equal(200);
      expect(ok.json()).to.include({ ok: true });
    });

    it('while one runs, another auditor is told so (409 with its progress and Retry-After); once it is done, a new one runs', async () => {
      const first = await g.key(LIANGDANG, 'aud-2', 'auditor');
      const second = await g.key(HUIXIAN, 'aud-3', 'auditor');
      let reached!: () => void;
      let release!: () => void;
      const progressed = new Promise<void>((r) => (reached = r));
      hold = { started: new Promise<void>((r) => (release = r)), release: reached };
      const running = g.app.inject({ method: 'GET', url: '/api/v1/audit/ledger', headers: { authorization: `Bearer ${first}` } });
      await progressed;
      await sleep(20); // the progress crosses the MessagePort
      const refused = await g.app.inject({ method: 'GET', url: '/api/v1/audit/ledger', headers: { authorization: `Bearer ${second}` } });
      expect(refused.statusCode, refused.body).to.equal(409);
      expect(refused.headers['retry-after']).to.equal('5');
      expect(refused.headers['content-type']).to.match(/^application\/problem\+json/);
      const problem = refused.json();
      expect(problem.code).to.equal('CONFLICT');
      expect(problem.running).to.include({ blocksChecked: 1000, height: 5000 });
      expect(problem.running.startedAt).to.be.a('string');
      expect(problem.detail).to.include('1000 of 5000');
      // The progress route tells the same, and asking it starts no audit.
      const progress = await g.app.inject({ method: 'GET', url: '/api/v1/audit/ledger/progress', headers: { authorization: `Bearer ${second}` } });
      expect(progress.statusCode, progress.body).to.equal(200);
      expect(progress.headers['cache-control']).to.equal('no-store');
      expect(progress.json().running).to.deep.equal(problem.running);
      hold = undefined;
      release();
      expect((await running).statusCode).to.equal(200);
      const idle = await g.app.inject({ method: 'GET', url: '/api/v1/audit/ledger/progress', headers: { authorization: `Bearer ${second}` } });
      expect(idle.json()).to.deep.equal({ running: null });
      const after = await g.app.inject({ method: 'GET', url: '/api/v1/audit/ledger', headers: { authorization: `Bearer ${second}` } });
      expect(after.statusCode, after.body).to.equal(200);
    });

    it('answers the progress to auditors only, and no audit runs because of it', async () => {
      let audits = 0;
      const counting = await gatewayOn(
        f,
        overriding(f.ledger, {
          verifyChain: async (options = {}) => {
            audits++;
            return f.ledger.verifyChain(options);
          },
        }),
        overMessagePort,
      );
      try {
        const auditor = await counting.key(LIANGDANG, 'aud-4', 'auditor');
        for (let i = 0; i < 3; i++) {
          const res = await counting.app.inject({ method: 'GET', url: '/api/v1/audit/ledger/progress', headers: { authorization: `Bearer ${auditor}` } });
          expect(res.statusCode, res.body).to.equal(200);
          expect(res.json()).to.deep.equal({ running: null });
        }
        expect(audits).to.equal(0);
        const merchant = await counting.key(LIANGDANG, 'aud-merchant-2', 'merchant');
        const refused = await counting.app.inject({ method: 'GET', url: '/api/v1/audit/ledger/progress', headers: { authorization: `Bearer ${merchant}` } });
        expect(refused.statusCode).to.equal(403);
        expect(refused.json().code).to.equal('FORBIDDEN');
        expect((await counting.app.inject({ method: 'GET', url: '/api/v1/audit/ledger/progress' })).statusCode).to.equal(401);
      } finally {
        await counting.close();
      }
    });
  });
}

describe('gateway /events: bounded streams', () => {
  let f: LedgerFixture;
  let g: Gateway;
  let port: number;
  before(async () => {
    f = await openLedgerFixture();
    g = await gatewayOn(f, f.ledger, false, { eventStreams: { perKey: 2, total: 3 } });
    await g.app.listen({ host: '127.0.0.1', port: 0 });
    port = (g.app.server.address() as AddressInfo).port;
  });
  after(async () => {
    await g.close();
    await f.cleanup();
  });

  /** Opens a stream; resolves with its status once the head arrives (the request stays open until closed). */
  const open = (key: string) =>
    new Promise<{ status: number; retryAfter?: string; body: Promise<string>; close: () => Promise<void> }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/events?fromBlock=0', headers: { authorization: `Bearer ${key}` } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        const body = new Promise<string>((r) => res.on('end', () => r(text)).on('close', () => r(text)));
        resolve({
          status: res.statusCode ?? 0,
          ...(res.headers['retry-after'] ? { retryAfter: String(res.headers['retry-after']) } : {}),
          body,
          close: async () => {
            req.destroy();
            await sleep(30); // the server sees the close and ends the stream
          },
        });
      });
      req.on('error', reject);
    });

  it('a key holds at most EVENT_STREAMS_PER_KEY streams and the gateway at most EVENT_STREAMS_TOTAL: over either, 429 with Retry-After', async () => {
    const a = await g.key(LIANGDANG, 'sse-a', 'auditor');
    const b = await g.key(HUIXIAN, 'sse-b', 'auditor');
    const c = await g.key(HUIXIAN, 'sse-c', 'auditor');
    const a1 = await open(a);
    const a2 = await open(a);
    expect([a1.status, a2.status]).to.deep.equal([200, 200]);
    const a3 = await open(a);
    expect(a3.status).to.equal(429);
    expect(a3.retryAfter).to.equal('5');
    const problem = JSON.parse(await a3.body);
    expect(problem.code).to.equal('RATE_LIMITED');
    expect(problem.detail).to.match(/this key already holds 2 open event streams/);
    const b1 = await open(b);
    expect(b1.status).to.equal(200);
    const c1 = await open(c);
    expect(c1.status, 'three open in all').to.equal(429);
    expect(JSON.parse(await c1.body).detail).to.match(/the gateway already serves 3 event streams/);
    // a closed stream frees its place, for its key and in all
    await a1.close();
    const a4 = await open(a);
    expect(a4.status).to.equal(200);
    await b1.close();
    const c2 = await open(c);
    expect(c2.status).to.equal(200);
    for (const s of [a2, a4, c2]) await s.close();
  });
});

describe('ledger over a MessagePort: an event subscription runs at most a window ahead of its reader', () => {
  it(`a reader that stops taking events gets no more than ${SUBSCRIPTION_WINDOW} in flight; when it goes on, it gets every one`, async function () {
    this.timeout(60_000);
    const f = await openProbeFixture();
    const { port1, port2 } = new MessageChannel();
    const host = hostLedger(f.ledger, port1);
    const remote = new RemoteLedger(port2, 'embedded');
    try {
      const events = SUBSCRIPTION_WINDOW * 2 + 10;
      await Promise.all(Array.from({ length: events }, (_, i) => f.ledger.submit(f.user, probe('Emit', `flow.${i}`, String(i)))));
      let arrived = 0;
      port2.on('message', (replies: LedgerReply[]) => {
        for (const r of replies) if ('event' in r) arrived++;
      });
      const stream = remote.events({ startBlock: 0 })[Symbol.asyncIterator]();
      expect((await stream.next()).done).to.equal(false);
      for (let i = 0; i < 20; i++) await settle();
      await sleep(100);
      expect(arrived, 'events sent while the reader waits').to.be.at.most(SUBSCRIPTION_WINDOW);
      let taken = 1;
      while (taken < events) {
        const next = await stream.next();
        if (next.done) break;
        taken++;
      }
      expect(taken).to.equal(events);
      await stream.return?.(undefined);
    } finally {
      await remote.close();
      host.close();
      await f.cleanup();
    }
  });
});
