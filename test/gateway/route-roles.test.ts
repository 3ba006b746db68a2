import path from 'node:path';
import { expect } from 'chai';
import Fastify, { FastifyInstance } from 'fastify';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { tx } from '../../chaincode/src/catalogue';
import { submit } from '../../gateway-api/src/ledger/calls';
import { Ledger } from '../../gateway-api/src/ledger/ledger';
import { registerAuth } from '../../gateway-api/src/plugins/auth';
import { registerErrorHandler } from '../../gateway-api/src/plugins/error-handler';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { HUIXIAN, LedgerFixture, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';

describe('gateway auth plugin: the roles a route asks for (config.roles)', () => {
  describe('on the query trail routes of the real app', () => {
    let f: AppFixture;
    let auditor: string;
    let enforcement: string;
    before(async () => {
      f = await openAppFixture();
      await f.grant(HUIXIAN, 'aud', 'auditor');
      await f.grant(HUIXIAN, 'enf', 'enforcement');
      auditor = await f.keyFor(HUIXIAN, 'aud');
      enforcement = await f.keyFor(HUIXIAN, 'enf');
    });
    after(async () => f.close());

    for (const url of ['/api/v1/audit/blacklist-queries', '/api/v1/audit/blacklist-queries/verify', '/api/v1/audit/ledger', '/api/v1/audit/ledger/progress']) {
      it(`${url}: auditors only, FORBIDDEN problem+json for others, 401 without a key`, async () => {
        expect((await f.request('GET', url, auditor)).statusCode).to.equal(200);
        const refused = await f.request('GET', url, enforcement);
        expect(refused.statusCode).to.equal(403);
        expect(refused.headers['content-type']).to.match(/^application\/problem\+json/);
        expect(refused.json()).to.include({ code: 'FORBIDDEN', detail: 'this needs the auditor role', instance: url });
        expect((await f.request('GET', url)).statusCode).to.equal(401);
      });
    }

    it('validates the request before it asks the ledger about roles (400, not 403)', async () => {
      const res = await f.request('GET', '/api/v1/audit/blacklist-queries?cursor=abc', enforcement);
      expect(res.statusCode).to.equal(400);
      expect(res.json().code).to.equal('INVALID_ARGUMENT');
    });
  });

  describe('semantics, on a bare app over the embedded ledger', () => {
    let app: FastifyInstance;
    let ledger: LedgerFixture;
    const keyOf = new Map<string, string>();
    let asked: string[] = [];

    before(async () => {
      ledger = await openLedgerFixture();
      const keys = await ApiKeyStore.open(path.join(ledger.dir, 'keys.json'));
      const admin = await ledger.identity(LIANGDANG, 'admin');
      // Counts the ledger reads the auth plugin makes, over the real ledger.
      const counting = Object.create(ledger.ledger) as Ledger;
      counting.evaluate = (identity, request) => {
        asked.push(`${identity.mspId} ${request.name}`);
        return ledger.ledger.evaluate(identity, request);
      };
      app = Fastify();
      registerErrorHandler(app);
      registerAuth(app, keys, ledger.wallet, counting);
      app.get('/either', { config: { roles: ['auditor', 'regulator'] } }, async () => ({ ok: true }));
      app.get('/anyone', async () => ({ ok: true }));
      for (const [member, role] of [
        ['reg', 'regulator'],
        ['merchant', 'merchant'],
      ] as const) {
        await ledger.identity(LIANGDANG, member);
        await submit(ledger.ledger, admin, tx.membership.grantRole, { member, role });
        keyOf.set(member, (await keys.create(LIANGDANG, member)).apiKey);
      }
    });
    after(async () => {
      await app.close();
      await ledger.cleanup();
    });

    const get = (url: string, member: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${keyOf.get(member)}` } });

    it('lets a caller through who holds any one of the roles, and refuses one who holds none', async () => {
      expect((await get('/either', 'reg')).statusCode).to.equal(200);
      const refused = await get('/either', 'merchant');
      expect(refused.statusCode).to.equal(403);
      expect(refused.json()).to.include({ code: 'FORBIDDEN', detail: 'this needs one of the roles auditor, regulator' });
    });

    it('asks the ledger only on routes that name roles', async () => {
      asked = [];
      expect((await get('/anyone', 'merchant')).statusCode).to.equal(200);
      expect(asked).to.deep.equal([]);
      await get('/either', 'merchant');
      expect(asked).to.deep.equal([`${LIANGDANG} ${tx.membership.whoAmI.qualifiedName}`]);
    });
  });
});
