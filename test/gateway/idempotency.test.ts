import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { FastifyInstance } from 'fastify';
import { contracts } from '../../chaincode/src/index';
import { buildApp } from '../../gateway-api/src/app';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { LedgerError } from '../../gateway-api/src/ledger/errors';
import { Ledger, SubmitResult } from '../../gateway-api/src/ledger/ledger';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { LedgerFixture, LIANGDANG, openLedgerFixture, sharedWalletDir } from '../support/ledger-fixture';
import { multipartBody } from '../support/multipart';

const CRASH_CHILD = path.join(__dirname, '..', 'support', 'idempotency-crash-child.js');

describe('gateway Idempotency-Key', () => {
  let f: AppFixture;
  let admin: string;
  before(async () => {
    f = await openAppFixture();
    admin = await f.keyFor(LIANGDANG, 'admin');
  });
  after(async () => f.close());

  it('a retried POST returns the first answer and submits nothing twice', async () => {
    const url = `/api/v1/members/${LIANGDANG}:idem1/roles`;
    const first = await f.request('POST', url, admin, { role: 'merchant' }, { 'idempotency-key': 'grant-idem1' });
    expect(first.statusCode).to.equal(201);
    const height = await f.ledger.ledger.height();
    const retry = await f.request('POST', url, admin, { role: 'merchant' }, { 'idempotency-key': 'grant-idem1' });
    expect(retry.statusCode).to.equal(201);
    expect(retry.headers['idempotent-replayed']).to.equal('true');
    expect(retry.json().txId).to.equal(first.json().txId);
    expect(await f.ledger.ledger.height()).to.equal(height);
  });

  it('concurrent retries with one key submit once', async () => {
    const url = `/api/v1/members/${LIANGDANG}:idem2/roles`;
    const height = await f.ledger.ledger.height();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => f.request('POST', url, admin, { role: 'verifier' }, { 'idempotency-key': 'grant-idem2' })),
    );
    expect(answers.map((a) => a.statusCode)).to.deep.equal([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().txId)).size).to.equal(1);
    expect(await f.ledger.ledger.height()).to.equal(height + 1);
  });

  it('refuses the same key with a different body, and a malformed key', async () => {
    const url = `/api/v1/members/${LIANGDANG}:idem3/roles`;
    await f.request('POST', url, admin, { role: 'merchant' }, { 'idempotency-key': 'grant-idem3' });
    const other = await f.request('POST', url, admin, { role: 'auditor' }, { 'idempotency-key': 'grant-idem3' });
    expect(other.statusCode).to.equal(422);
    expect(other.json().code).to.equal('IDEMPOTENCY_KEY_REUSED');
    const bad = await f.request('POST', url, admin, { role: 'auditor' }, { 'idempotency-key': 'has spaces!' });
    expect(bad.statusCode).to.equal(400);
  });

  it('replays refusals too, so a retry never turns a refusal into a double submit', async () => {
    const url = `/api/v1/members/${LIANGDANG}:idem3/roles`;
    const first = await f.request('POST', url, admin, { role: 'merchant' }, { 'idempotency-key': 'grant-idem3-again' });
    expect(first.statusCode).to.equal(409);
    const retry = await f.request('POST', url, admin, { role: 'merchant' }, { 'idempotency-key': 'grant-idem3-again' });
    expect(retry.statusCode).to.equal(409);
    expect(retry.headers['idempotent-replayed']).to.equal('true');
  });
});

/** A ledger like `real` whose submit is replaced (the real one is handed in), for failures at chosen moments. */
function withSubmit(real: Ledger, submit: (realSubmit: Ledger['submit'], ...args: Parameters<Ledger['submit']>) => ReturnType<Ledger['submit']>): Ledger {
  const realSubmit: Ledger['submit'] = (...args) => real.submit(...args);
  return new Proxy(real, {
    get(target, property) {
      if (property === 'submit') return (...args: Parameters<Ledger['submit']>) => submit(realSubmit, ...args);
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('gateway Idempotency-Key across failures: the intended transaction is recorded before it is submitted', () => {
  let f: AppFixture;
  let admin: string;
  const opened: FastifyInstance[] = [];
  /** A second gateway on the fixture's ledger and a state folder of its own (or the one given). */
  const gateway = async (ledger: Ledger, stateDir: string) => {
    const app = await buildApp({ ledger, keys: f.keys, identities: f.ledger.wallet, stateDir });
    opened.push(app);
    return app;
  };
  const grant = (app: FastifyInstance, member: string, key: string) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/members/${LIANGDANG}:${member}/roles`,
      headers: { authorization: `Bearer ${admin}`, 'idempotency-key': key },
      payload: { role: 'verifier' },
    });

  before(async () => {
    f = await openAppFixture();
    admin = await f.keyFor(LIANGDANG, 'admin');
  });
  after(async () => {
    for (const app of opened) await app.close();
    await f.close();
  });

  it('a gateway that fails between the commit and its answer: the retry is answered with the same transaction, the ledger grows by one block only', async () => {
    const stateDir = path.join(f.ledger.dir, 'gateway-after-commit');
    let committed: SubmitResult | undefined;
    const failing = await gateway(
      withSubmit(f.ledger.ledger, async (submit, ...args) => {
        committed = await submit(...args);
        throw new Error('the gateway died after the commit');
      }),
      stateDir,
    );
    const height = await f.ledger.ledger.height();
    const first = await grant(failing, 'crash1', 'grant-crash1');
    expect(first.statusCode).to.equal(500);
    expect(committed, 'the transaction committed').to.not.equal(undefined);
    expect(await f.ledger.ledger.height()).to.equal(height + 1);
    await failing.close();

    // the restarted gateway, on the same state folder
    const restarted = await gateway(f.ledger.ledger, stateDir);
    const retry = await grant(restarted, 'crash1', 'grant-crash1');
    expect(retry.statusCode, retry.body).to.equal(201);
    expect(retry.json().txId).to.equal(committed?.txId);
    expect(retry.json().blockNumber).to.equal(committed?.blockNumber);
    expect(await f.ledger.ledger.height()).to.equal(height + 1);
    // and from then on the stored answer is replayed
    const again = await grant(restarted, 'crash1', 'grant-crash1');
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(again.json().txId).to.equal(committed?.txId);
    // the same key with another request is refused even though no answer had been stored before the failure
    const other = await restarted.inject({
      method: 'POST',
      url: `/api/v1/members/${LIANGDANG}:crash1/roles`,
      headers: { authorization: `Bearer ${admin}`, 'idempotency-key': 'grant-crash1' },
      payload: { role: 'auditor' },
    });
    expect(other.statusCode).to.equal(422);
    expect(other.json().code).to.equal('IDEMPOTENCY_KEY_REUSED');
    expect(await f.ledger.ledger.height()).to.equal(height + 1);
  });

  it('a submit that failed before it reached the ledger: the retry submits it, once', async () => {
    let failures = 1;
    const app = await gateway(
      withSubmit(f.ledger.ledger, async (submit, ...args) => {
        if (failures-- > 0) throw new LedgerError('UNAVAILABLE', 'the ledger could not be reached');
        return submit(...args);
      }),
      path.join(f.ledger.dir, 'gateway-before-commit'),
    );
    const height = await f.ledger.ledger.height();
    const first = await grant(app, 'crash2', 'grant-crash2');
    expect(first.statusCode).to.equal(503);
    expect(await f.ledger.ledger.height()).to.equal(height);
    const retry = await grant(app, 'crash2', 'grant-crash2');
    expect(retry.statusCode, retry.body).to.equal(201);
    expect(retry.headers['idempotent-replayed']).to.equal(undefined);
    expect(await f.ledger.ledger.height()).to.equal(height + 1);
    expect((await f.ledger.ledger.getTransaction(retry.json().txId))?.validationCode).to.equal('VALID');
  });

  it('a stored answer naming a transaction the ledger does not have is dropped, and the request runs again', async () => {
    const stateDir = path.join(f.ledger.dir, 'gateway-other-ledger');
    const before = await gateway(f.ledger.ledger, stateDir);
    const first = await grant(before, 'lost1', 'grant-lost1');
    expect(first.statusCode).to.equal(201);
    await before.close();
    // the same gateway folder in front of a ledger that never had that transaction (e.g. restored from an older backup)
    const other = await openLedgerFixture();
    try {
      const app = await gateway(other.ledger, stateDir);
      const height = await other.ledger.height();
      expect(await other.ledger.getTransaction(first.json().txId)).to.equal(undefined);
      const retry = await grant(app, 'lost1', 'grant-lost1');
      expect(retry.statusCode, retry.body).to.equal(201);
      expect(retry.headers['idempotent-replayed']).to.equal(undefined);
      expect(await other.ledger.height()).to.equal(height + 1);
      expect((await other.ledger.getTransaction(retry.json().txId))?.validationCode).to.equal('VALID');
      const replayed = await grant(app, 'lost1', 'grant-lost1');
      expect(replayed.headers['idempotent-replayed']).to.equal('true');
      expect(await other.ledger.height()).to.equal(height + 1);
      await app.close();
    } finally {
      await other.cleanup();
    }
  });

  it('a multipart upload is told apart by its content: another file of the same size under the same key is refused and left nowhere', async () => {
    await f.grant(LIANGDANG, 'uploader', 'merchant');
    const key = await f.keyFor(LIANGDANG, 'uploader');
    const upload = (content: Buffer) => {
      const body = multipartBody({ content, contentType: 'application/pdf' });
      return f.app.inject({
        method: 'POST',
        url: '/api/v1/evidence',
        payload: body.payload,
        headers: { ...body.headers, authorization: `Bearer ${key}`, 'idempotency-key': 'upload-1' },
      });
    };
    const first = Buffer.from('report A: soil sample 1 passes');
    const second = Buffer.from('report B: soil sample 2 passes');
    expect(second.length).to.equal(first.length);
    const a = await upload(first);
    expect(a.statusCode, a.body).to.equal(201);
    const height = await f.ledger.ledger.height();
    const b = await upload(second);
    expect(b.statusCode, b.body).to.equal(422);
    expect(b.json().code).to.equal('IDEMPOTENCY_KEY_REUSED');
    expect(await f.ledger.ledger.height()).to.equal(height);
    const secondSha = createHash('sha256').update(second).digest('hex');
    expect(existsSync(path.join(f.ledger.dir, 'gateway', 'blobs', secondSha.slice(0, 2), secondSha))).to.equal(false);
    expect(readdirSync(path.join(f.ledger.dir, 'gateway', 'blobs', 'tmp'))).to.deep.equal([]);
    const again = await upload(first);
    expect(again.statusCode).to.equal(201);
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(again.json().txId).to.equal(a.json().txId);
  });
});

describe('gateway Idempotency-Key: a gateway killed with SIGKILL between the commit and its answer', function () {
  this.timeout(60_000);
  let f: LedgerFixture;
  afterEach(async () => f?.cleanup());

  it('the restarted gateway answers the retry with the committed transaction and submits nothing', async () => {
    f = await openLedgerFixture();
    await f.identity(LIANGDANG, 'admin');
    const ledgerDir = path.join(f.dir, 'killed-ledger');
    const stateDir = path.join(f.dir, 'killed-gateway');
    const keysFile = path.join(f.dir, 'killed-keys.json');
    const keys = await ApiKeyStore.open(keysFile);
    const { apiKey } = await keys.create(LIANGDANG, 'admin');
    const request = { method: 'POST', path: `/api/v1/members/${LIANGDANG}:killed1/roles`, key: 'grant-killed1', body: { role: 'auditor' } };

    const child = spawn(process.execPath, [CRASH_CHILD, ledgerDir, await sharedWalletDir(), keysFile, stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const seen: string[] = [];
    const waitFor = (prefix: string) =>
      new Promise<string>((resolve, reject) => {
        const found = seen.find((l) => l.startsWith(prefix));
        if (found) return resolve(found.slice(prefix.length));
        const timer = setTimeout(() => reject(new Error(`no "${prefix}" from the child; stderr: ${stderr}`)), 30_000);
        lines.on('line', (line) => {
          if (!line.startsWith(prefix)) return;
          clearTimeout(timer);
          resolve(line.slice(prefix.length));
        });
      });
    lines.on('line', (l) => seen.push(l));
    const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const port = Number(await waitFor('port '));
    const lost = new Promise<string>((resolve) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: request.method,
          path: request.path,
          headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': request.key, 'content-type': 'application/json' },
        },
        (res) => resolve(`answered ${res.statusCode}`),
      );
      req.on('error', (err) => resolve(`lost: ${err.message}`));
      req.end(JSON.stringify(request.body));
    });
    const txId = await waitFor('committed ');
    expect(await exited).to.equal('SIGKILL');
    expect(await lost).to.match(/^lost/);

    const ledger = await EmbeddedLedger.open({
      dataDir: ledgerDir,
      contracts,
      trustedCas: f.wallet.trustedCas(),
      endorsers: f.wallet.endorsers(),
      ordering: await f.wallet.ordering(),
    });
    try {
      expect((await ledger.getTransaction(txId))?.validationCode).to.equal('VALID');
      const height = await ledger.height();
      const app = await buildApp({ ledger, keys: await ApiKeyStore.open(keysFile), identities: f.wallet, stateDir });
      try {
        const retry = await app.inject({
          method: 'POST',
          url: request.path,
          headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': request.key },
          payload: request.body,
        });
        expect(retry.statusCode, retry.body).to.equal(201);
        expect(retry.json().txId).to.equal(txId);
        expect(await ledger.height()).to.equal(height);
      } finally {
        await app.close();
      }
    } finally {
      await ledger.close();
    }
  });
});
