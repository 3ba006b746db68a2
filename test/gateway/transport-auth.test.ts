import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import https from 'node:https';
import http from 'node:http';
import path from 'node:path';
import { expect } from 'chai';
import * as x509 from '@peculiar/x509';
import { ConfigError, readTls } from '../../gateway-api/src/config';
import { CaMaterial, createCountyCa, IdentityMaterial, issueCertificate, issueIdentity } from '../../gateway-api/src/identity/county-ca';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { json, LIANGDANG, sharedWalletDir } from '../support/ledger-fixture';
import { AppSettings } from '../../gateway-api/src/app';

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTPS request on its own connection (no agent: each test's client certificate is its own). */
function httpsCall(
  port: number,
  serverCa: string,
  method: string,
  url: string,
  options: { client?: { certificate: string; privateKey: string }; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent: false,
        ca: serverCa,
        // The test server certificate names no IP address; the chain is still verified against serverCa.
        checkServerIdentity: () => undefined,
        ...(options.client ? { cert: options.client.certificate, key: options.client.privateKey } : {}),
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function plainHttpCall(port: number, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: url, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

function problem(a: Answer): { code: string; detail: string } {
  expect(a.headers['content-type']).to.match(/^application\/problem\+json/);
  return JSON.parse(a.body) as { code: string; detail: string };
}

/** A certificate from a county CA with a validity period of our choosing (the wallet only issues ten-year ones). */
async function certificateValidBetween(ca: CaMaterial, member: string, notBefore: Date, notAfter: Date): Promise<{ certificate: string; privateKey: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: 'ECDSA', namedCurve: 'P-256' } as const;
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const caKey = await webcrypto.subtle.importKey('pkcs8', Buffer.from(ca.privateKey.replace(/-----[^-]+-----|\s/g, ''), 'base64'), alg, false, ['sign']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '01',
    subject: [{ C: ['CN'] }, { OU: ['client'] }, { CN: [member] }],
    issuer: new x509.X509Certificate(ca.certificate).subject,
    notBefore,
    notAfter,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    publicKey: keys.publicKey as never,
    signingKey: caKey as never,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return { certificate: cert.toString('pem'), privateKey: `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n` };
}

describe('HTTPS, client certificates and the authentication limits', function () {
  this.timeout(60_000);
  let serverCa: CaMaterial;
  let server: IdentityMaterial;

  before(async () => {
    serverCa = await createCountyCa('TestServerCA', 'Test server CA');
    server = await issueCertificate(serverCa, 'gateway', [{ CN: ['gateway.test'] }]);
  });

  async function listening(settings: AppSettings = {}): Promise<{ f: AppFixture; port: number }> {
    const f = await openAppFixture({ settings: { tls: { cert: server.certificate, key: server.privateKey }, ...settings } });
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    const address = f.app.server.address();
    return { f, port: typeof address === 'object' && address ? address.port : 0 };
  }

  describe('over a listening HTTPS port', () => {
    let f: AppFixture;
    let port: number;
    before(async () => ({ f, port } = await listening()));
    after(async () => f.close());

    it('serves HTTPS (and not plain HTTP) with the given certificate; an API key works over it', async () => {
      const health = await httpsCall(port, serverCa.certificate, 'GET', '/health');
      expect(health.status).to.equal(200);
      expect(JSON.parse(health.body)).to.include({ status: 'ok' });
      const key = await f.keyFor(LIANGDANG, 'tls-key-user');
      const me = await httpsCall(port, serverCa.certificate, 'GET', '/api/v1/members/me', { headers: { authorization: `Bearer ${key}` } });
      expect(me.status, me.body).to.equal(200);
      expect(JSON.parse(me.body)).to.include({ mspId: LIANGDANG, member: 'tls-key-user' });
      expect((await httpsCall(port, serverCa.certificate, 'GET', '/api/v1/members/me')).status, 'no credential').to.equal(401);
      let plain: number | Error;
      try {
        plain = await plainHttpCall(port, '/health');
      } catch (err) {
        plain = err as Error;
      }
      expect(plain, 'plain HTTP on the HTTPS port').to.not.equal(200);
    });

    it('a member authenticates with the ledger certificate the wallet issued it, and acts as that member', async () => {
      const alice = await f.ledger.wallet.issue(LIANGDANG, 'tls-alice', 'client');
      const me = await httpsCall(port, serverCa.certificate, 'GET', '/api/v1/members/me', { client: alice });
      expect(me.status, me.body).to.equal(200);
      expect(JSON.parse(me.body)).to.deep.include({ mspId: LIANGDANG, member: 'tls-alice', isCountyAdmin: false });

      // A county admin's certificate submits as that admin: the grant is written, signed by the admin's identity.
      const admin = await f.ledger.wallet.issue(LIANGDANG, 'admin-tls', 'admin');
      const height = await f.ledger.ledger.height();
      const granted = await httpsCall(port, serverCa.certificate, 'POST', `/api/v1/members/${LIANGDANG}:tls-alice/roles`, {
        client: admin,
        body: { role: 'merchant' },
      });
      expect(granted.status, granted.body).to.equal(201);
      expect(await f.ledger.ledger.height()).to.be.greaterThan(height);
      const after = await httpsCall(port, serverCa.certificate, 'GET', '/api/v1/members/me', { client: alice });
      expect(JSON.parse(after.body).roles).to.include('merchant');
    });

    it('an API key wins over a client certificate when both are presented', async () => {
      const alice = await f.ledger.wallet.issue(LIANGDANG, 'tls-alice', 'client');
      const key = await f.keyFor(LIANGDANG, 'tls-bob');
      const me = await httpsCall(port, serverCa.certificate, 'GET', '/api/v1/members/me', { client: alice, headers: { 'x-api-key': key } });
      expect(JSON.parse(me.body)).to.include({ member: 'tls-bob' });
    });

    it('refuses with 401 problem+json, writing nothing, a certificate of an unknown CA, an expired one, one for a member the wallet does not hold, and one the wallet did not issue', async () => {
      await f.ledger.wallet.issue(LIANGDANG, 'admin-tls', 'admin');
      const walletCa = JSON.parse(readFileSync(path.join(await sharedWalletDir(), `${LIANGDANG}.ca.json`), 'utf8')) as CaMaterial;
      // A CA that calls itself Liangdang's, issuing a certificate for Liangdang's real admin.
      const impostorCa = await createCountyCa(LIANGDANG, 'Liangdang County (两当县)');
      const day = 24 * 3600 * 1000;
      const cases: Array<[string, { certificate: string; privateKey: string }, RegExp]> = [
        ['unknown CA', await issueIdentity(impostorCa, 'admin-tls', 'admin'), /not trusted/],
        [
          'expired',
          await certificateValidBetween(walletCa, 'admin-tls', new Date(Date.now() - 10 * day), new Date(Date.now() - day)),
          /not trusted \(CERT_HAS_EXPIRED\)/,
        ],
        ['member the wallet does not hold', await issueIdentity(walletCa, 'admin-ghost', 'admin'), /whom this gateway's wallet does not hold/],
        ['a second certificate for a held member', await issueIdentity(walletCa, 'admin-tls', 'admin'), /not the one the wallet issued/],
      ];
      for (const [what, client, detail] of cases) {
        const height = await f.ledger.ledger.height();
        const refused = await httpsCall(port, serverCa.certificate, 'POST', `/api/v1/members/${LIANGDANG}:tls-carol/roles`, {
          client,
          body: { role: 'merchant' },
        });
        expect(refused.status, `${what}: ${refused.body}`).to.equal(401);
        const p = problem(refused);
        expect(p.code, what).to.equal('UNAUTHENTICATED');
        expect(p.detail, what).to.match(detail);
        expect(await f.ledger.ledger.height(), `${what}: nothing written`).to.equal(height);
      }
    });
  });

  it('with TLS_CLIENT_CA, a client certificate must chain to those CAs', async () => {
    const otherCa = await createCountyCa('OtherCA', 'Not a county');
    const { f, port } = await listening({ tls: { cert: server.certificate, key: server.privateKey, clientCa: otherCa.certificate } });
    try {
      const alice = await f.ledger.wallet.issue(LIANGDANG, 'tls-alice', 'client');
      const refused = await httpsCall(port, serverCa.certificate, 'GET', '/api/v1/members/me', { client: alice });
      expect(refused.status).to.equal(401);
      expect(problem(refused).detail).to.match(/not trusted/);
      // Chaining to a configured CA is not enough: it must be a county CA of the wallet.
      const stranger = await issueIdentity(otherCa, 'tls-alice', 'client');
      const alsoRefused = await httpsCall(port, serverCa.certificate, 'GET', '/api/v1/members/me', { client: stranger });
      expect(problem(alsoRefused).detail).to.match(/not issued by a county CA/);
    } finally {
      await f.close();
    }
  });

  describe('in-process (app.inject)', () => {
    it('accepts the Authorization scheme word in any case', async () => {
      const f = await openAppFixture();
      try {
        const key = await f.keyFor(LIANGDANG, 'case-user');
        for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
          const r = await f.request('GET', '/api/v1/members/me', undefined, undefined, { authorization: `${scheme} ${key}` });
          expect(r.statusCode, scheme).to.equal(200);
        }
        for (const header of [`Bearerx ${key}`, `Basic ${key}`, key]) {
          const r = await f.request('GET', '/api/v1/members/me', undefined, undefined, { authorization: header });
          expect(r.statusCode, header).to.equal(401);
        }
      } finally {
        await f.close();
      }
    });

    it('limits failed authentications per client IP: 429 with Retry-After, a right key too, until the window ends', async () => {
      const f = await openAppFixture({ settings: { authFailureLimit: { max: 3, windowMs: 1500 } } });
      try {
        const key = await f.keyFor(LIANGDANG, 'limited-user');
        const wrong = `cl_${'0'.repeat(16)}_${'A'.repeat(43)}`;
        // No credential at all is no guess: it does not count.
        for (let i = 0; i < 5; i++) expect((await f.request('GET', '/api/v1/members/me')).statusCode).to.equal(401);
        for (let i = 0; i < 3; i++) expect((await f.request('GET', '/api/v1/members/me', wrong)).statusCode, `failure ${i + 1}`).to.equal(401);
        const height = await f.ledger.ledger.height();
        await f.ledger.identity(LIANGDANG, 'admin-limited');
        const adminKey = await f.keyFor(LIANGDANG, 'admin-limited');
        const blocked = await f.request('POST', `/api/v1/members/${LIANGDANG}:limited-user/roles`, adminKey, { role: 'merchant' });
        expect(blocked.statusCode).to.equal(429);
        expect(json(blocked.rawPayload).code).to.equal('RATE_LIMITED');
        expect(blocked.headers['content-type']).to.match(/^application\/problem\+json/);
        expect(Number(blocked.headers['retry-after'])).to.be.within(1, 2);
        expect(await f.ledger.ledger.height(), 'nothing written').to.equal(height);
        expect((await f.request('GET', '/api/v1/members/me', key)).statusCode, 'the right key too').to.equal(429);
        expect((await f.request('GET', '/health')).statusCode, 'public routes are not affected').to.equal(200);
        const elsewhere = await f.app.inject({
          method: 'GET',
          url: '/api/v1/members/me',
          remoteAddress: '10.1.2.3',
          headers: { authorization: `Bearer ${key}` },
        });
        expect(elsewhere.statusCode, 'another client IP').to.equal(200);

        await new Promise((r) => setTimeout(r, 1600));
        expect((await f.request('GET', '/api/v1/members/me', key)).statusCode, 'after the window').to.equal(200);
        const granted = await f.request('POST', `/api/v1/members/${LIANGDANG}:limited-user/roles`, adminKey, { role: 'merchant' });
        expect(granted.statusCode, granted.body).to.equal(201);
      } finally {
        await f.close();
      }
    });

    it('limits requests per API key, not per member: 429 RATE_LIMITED with Retry-After over the budget', async () => {
      const f = await openAppFixture({ settings: { keyRateLimit: { burst: 3, perSecond: 1 } } });
      try {
        const key = await f.keyFor(LIANGDANG, 'busy-user');
        for (let i = 0; i < 3; i++) expect((await f.request('GET', '/api/v1/members/me', key)).statusCode, `call ${i + 1}`).to.equal(200);
        const over = await f.request('GET', '/api/v1/members/me', key);
        expect(over.statusCode).to.equal(429);
        expect(json(over.rawPayload).code).to.equal('RATE_LIMITED');
        expect(Number(over.headers['retry-after'])).to.be.within(1, 3);
        const second = (await f.keys.create(LIANGDANG, 'busy-user')).apiKey;
        expect((await f.request('GET', '/api/v1/members/me', second)).statusCode, "the member's other key").to.equal(200);
      } finally {
        await f.close();
      }
    });

    it('keyRateLimit false: no per-key limit', async () => {
      const f = await openAppFixture({ settings: { keyRateLimit: false } });
      try {
        const key = await f.keyFor(LIANGDANG, 'unlimited-user');
        for (let i = 0; i < 5; i++) expect((await f.request('GET', '/api/v1/members/me', key)).statusCode).to.equal(200);
        expect((await f.request('GET', '/api/v1/members/me', key)).headers).to.not.have.property('x-ratelimit-limit');
      } finally {
        await f.close();
      }
    });
  });

  it('readTls reads the PEM files and refuses a missing or wrong one, naming the variable', async () => {
    const f = await openAppFixture();
    try {
      const cert = path.join(f.ledger.dir, 'tls.crt');
      const key = path.join(f.ledger.dir, 'tls.key');
      writeFileSync(cert, server.certificate);
      writeFileSync(key, server.privateKey);
      expect(readTls({ certFile: cert, keyFile: key })).to.deep.equal({ cert: server.certificate, key: server.privateKey });
      expect(() => readTls({ certFile: path.join(f.ledger.dir, 'absent.crt'), keyFile: key }))
        .to.throw(ConfigError)
        .with.property('message')
        .that.matches(/^TLS_CERT: cannot read .*absent\.crt \(ENOENT\)$/);
      expect(() => readTls({ certFile: cert, keyFile: cert })).to.throw(/^TLS_KEY: .* holds no PEM private key$/);
      expect(() => readTls({ certFile: cert, keyFile: key, clientCaFile: key })).to.throw(/^TLS_CLIENT_CA: .* holds no PEM certificate$/);
    } finally {
      await f.close();
    }
  });
});

describe('the gateway process serves HTTPS and client certificates, with and without the HTTP worker', function () {
  this.timeout(90_000);
  const MAIN = path.join(__dirname, '../../gateway-api/src/main.js');

  for (const httpWorker of ['1', '0']) {
    it(`HTTP_WORKER=${httpWorker}`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-tls-main-'));
      const serverCa = await createCountyCa('TestServerCA', 'Test server CA');
      const server = await issueCertificate(serverCa, 'gateway', [{ CN: ['gateway.test'] }]);
      writeFileSync(path.join(dir, 'tls.crt'), server.certificate);
      writeFileSync(path.join(dir, 'tls.key'), server.privateKey);
      const env = { ...process.env, DATA_DIR: path.join(dir, 'data'), DEMO: '0', PORT: '0', LOG_LEVEL: 'silent', HTTP_WORKER: httpWorker };
      const child = spawn(process.execPath, [MAIN, '--tls-cert', path.join(dir, 'tls.crt'), '--tls-key', path.join(dir, 'tls.key')], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const pid = child.pid as number;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        let output = '';
        const port = await new Promise<number>((resolve, reject) => {
          child.stdout.on('data', (d: Buffer) => {
            output += d.toString('utf8');
            const m = /County Ledger API on https:\/\/127\.0\.0\.1:(\d+) /.exec(output);
            if (m) resolve(Number(m[1]));
          });
          child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
          void exited.then((code) => reject(new Error(`the gateway exited with ${code}: ${output}`)));
        });
        expect(port).to.be.greaterThan(0);
        expect((await httpsCall(port, serverCa.certificate, 'GET', '/health')).status).to.equal(200);
        // A member the gateway's own wallet holds: the county's endorsing peer identity, created on first start.
        const held = JSON.parse(readFileSync(path.join(dir, 'data/wallet/identities.json'), 'utf8')) as IdentityMaterial[];
        const peer = held.find((i) => i.mspId === LIANGDANG) as IdentityMaterial;
        const me = await httpsCall(port, serverCa.certificate, 'GET', '/api/v1/members/me', { client: peer });
        expect(me.status, me.body).to.equal(200);
        expect(JSON.parse(me.body)).to.include({ mspId: LIANGDANG, member: peer.member });
        const stranger = await issueIdentity(await createCountyCa(LIANGDANG, 'Impostor'), peer.member, 'client');
        expect((await httpsCall(port, serverCa.certificate, 'GET', '/api/v1/members/me', { client: stranger })).status).to.equal(401);
      } finally {
        process.kill(pid, 'SIGTERM');
        await exited;
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
