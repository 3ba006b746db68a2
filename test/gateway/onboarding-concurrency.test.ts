import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { FastifyInstance } from 'fastify';
import { buildApp } from '../../gateway-api/src/app';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { LedgerFixture, LIANGDANG, openLedgerFixture, sharedWalletDir } from '../support/ledger-fixture';

const tmpFilesIn = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.tmp'));

describe('gateway: onboarding under concurrency, and its rollback', () => {
  describe('100 concurrent onboardings', () => {
    let f: AppFixture;
    let admin: string;
    before(async () => {
      f = await openAppFixture();
      admin = await f.keyFor(LIANGDANG, 'admin');
    });
    after(async () => f.close());

    it('each ends with a certificate and a working key, and the stores reopened from disk hold all of them', async () => {
      const run = randomBytes(4).toString('hex');
      const names = Array.from({ length: 100 }, (_, i) => `crowd-${run}-${i}`);
      const answers = await Promise.all(names.map((member) => f.request('POST', '/api/v1/members', admin, { member })));
      expect(
        answers.map((a) => a.statusCode),
        answers.find((a) => a.statusCode !== 201)?.body,
      ).to.deep.equal(names.map(() => 201));
      const keyOf = new Map(answers.map((a) => [a.json().member as string, a.json().apiKey as string]));
      expect([...keyOf.keys()].sort()).to.deep.equal([...names].sort());

      for (const member of names) {
        expect(f.ledger.wallet.has(LIANGDANG, member), member).to.equal(true);
        const me = await f.request('GET', '/api/v1/members/me', keyOf.get(member));
        expect(me.statusCode, member).to.equal(200);
        expect(me.json()).to.include({ mspId: LIANGDANG, member });
      }

      // What was saved, not only what is in memory.
      const keysFile = path.join(f.ledger.dir, 'api-keys.json');
      const reopenedKeys = await ApiKeyStore.open(keysFile);
      for (const member of names) expect(reopenedKeys.authenticate(keyOf.get(member) as string), member).to.include({ mspId: LIANGDANG, member });
      const walletDir = await sharedWalletDir();
      const reopenedWallet = await Wallet.open(walletDir, DEFAULT_COUNTIES);
      for (const member of names) expect(reopenedWallet.has(LIANGDANG, member), member).to.equal(true);
      expect(tmpFilesIn(f.ledger.dir), 'temporary files left behind').to.deep.equal([]);
      expect(tmpFilesIn(walletDir), 'temporary files left behind').to.deep.equal([]);
    });

    it('of concurrent onboardings of one name exactly one succeeds, with one certificate and one key', async () => {
      const member = `twin-${randomBytes(4).toString('hex')}`;
      const answers = await Promise.all(Array.from({ length: 10 }, () => f.request('POST', '/api/v1/members', admin, { member })));
      const codes = answers.map((a) => a.statusCode).sort();
      expect(codes).to.deep.equal([201, ...Array<number>(9).fill(409)]);
      expect(answers.filter((a) => a.statusCode === 409).every((a) => a.json().code === 'CONFLICT')).to.equal(true);
      expect(f.keys.list(LIANGDANG, member)).to.have.length(1);
      const winner = answers.find((a) => a.statusCode === 201);
      expect((await f.request('GET', '/api/v1/members/me', winner?.json().apiKey)).json().member).to.equal(member);
    });
  });

  describe('a failure after the certificate', () => {
    let ledger: LedgerFixture;
    let app: FastifyInstance;
    let keys: ApiKeyStore;
    let keysDir: string;
    let admin: string;
    before(async () => {
      ledger = await openLedgerFixture();
      keysDir = path.join(ledger.dir, 'keys');
      mkdirSync(keysDir);
      keys = await ApiKeyStore.open(path.join(keysDir, 'api-keys.json'));
      await ledger.identity(LIANGDANG, 'admin');
      admin = (await keys.create(LIANGDANG, 'admin')).apiKey;
      app = await buildApp({ ledger: ledger.ledger, keys, identities: ledger.wallet, stateDir: path.join(ledger.dir, 'gateway') });
    });
    after(async () => {
      await app.close();
      await ledger.cleanup();
    });

    it('leaves neither certificate nor key, and the member can be onboarded again', async () => {
      const member = `unlucky-${randomBytes(4).toString('hex')}`;
      const before = keys.size;
      // The key store's folder disappears: the certificate is issued, then saving the key fails.
      rmSync(keysDir, { recursive: true });
      const failed = await app.inject({ method: 'POST', url: '/api/v1/members', headers: { authorization: `Bearer ${admin}` }, payload: { member } });
      expect(failed.statusCode, failed.body).to.equal(500);
      expect(failed.json().code).to.equal('INTERNAL');
      expect(ledger.wallet.has(LIANGDANG, member), 'certificate removed').to.equal(false);
      expect(keys.size).to.equal(before);
      expect(keys.list(LIANGDANG, member)).to.deep.equal([]);
      expect((await Wallet.open(await sharedWalletDir(), DEFAULT_COUNTIES)).has(LIANGDANG, member), 'certificate removed on disk').to.equal(false);

      mkdirSync(keysDir);
      const again = await app.inject({ method: 'POST', url: '/api/v1/members', headers: { authorization: `Bearer ${admin}` }, payload: { member } });
      expect(again.statusCode, again.body).to.equal(201);
      expect(ledger.wallet.has(LIANGDANG, member)).to.equal(true);
      expect(keys.authenticate(again.json().apiKey)).to.include({ member });
    });
  });
});
