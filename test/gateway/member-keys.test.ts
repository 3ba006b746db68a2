import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import Fastify, { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { tx } from '../../chaincode/src/catalogue';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { MemberRoles } from '../../gateway-api/src/auth/member-roles';
import { PUBLIC_READER } from '../../gateway-api/src/identity/public-reader';
import { submit } from '../../gateway-api/src/ledger/calls';
import { Ledger } from '../../gateway-api/src/ledger/ledger';
import { registerAuth, registerRoleRule } from '../../gateway-api/src/plugins/auth';
import { registerErrorHandler } from '../../gateway-api/src/plugins/error-handler';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { expectLedgerError } from '../support/expect-error';
import { HUIXIAN, LedgerFixture, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';
import { creditCode } from '../support/market-world';
import { multipartBody } from '../support/multipart';

function expectProblem(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).to.equal(status);
  expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
  expect(res.json().code).to.equal(code);
}

describe('gateway: API keys of members, offboarding, reserved names, and members without a role', () => {
  let f: AppFixture;
  let ldAdmin: string;
  let hxAdmin: string;
  const run = randomBytes(3).toString('hex');
  /** Onboards a member through the API and answers its first key. */
  const onboard = async (member: string): Promise<string> => {
    const res = await f.request('POST', '/api/v1/members', ldAdmin, { member });
    expect(res.statusCode, res.body).to.equal(201);
    return res.json().apiKey as string;
  };
  const keysUrl = (member: string, mspId = LIANGDANG) => `/api/v1/members/${mspId}:${member}/keys`;

  before(async () => {
    f = await openAppFixture();
    ldAdmin = await f.keyFor(LIANGDANG, 'admin');
    hxAdmin = await f.keyFor(HUIXIAN, 'admin');
  });
  after(async () => f.close());

  describe('listing, adding and revoking keys', () => {
    const kim = `kim-${run}`;
    let kimKey: string;
    before(async () => {
      kimKey = await onboard(kim);
    });

    it('a member (holding no role) lists its keys: IDs and times, never a secret or a hash', async () => {
      const res = await f.request('GET', keysUrl(kim), kimKey);
      expect(res.statusCode, res.body).to.equal(200);
      const { items } = res.json();
      expect(items).to.have.length(1);
      expect(Object.keys(items[0]).sort()).to.deep.equal(['createdAt', 'keyId', 'revokedAt']);
      expect(items[0].revokedAt).to.equal(null);
      expect(kimKey).to.include(items[0].keyId);
      // the secret is everything after cl_<keyId>_ (it may itself contain '_')
      expect(res.body).to.not.include(kimKey.slice(`cl_${items[0].keyId}_`.length));
      expect(res.body).to.not.match(/secret|hash/i);
    });

    it('a member adds a key, shown once; both keys work', async () => {
      const res = await f.request('POST', keysUrl(kim), kimKey);
      expect(res.statusCode, res.body).to.equal(201);
      const { apiKey, keyId, revokedAt } = res.json();
      expect(apiKey).to.match(new RegExp(`^cl_${keyId}_`));
      expect(revokedAt).to.equal(null);
      expect((await f.request('GET', '/api/v1/members/me', apiKey)).json().member).to.equal(kim);
      expect((await f.request('GET', '/api/v1/members/me', kimKey)).statusCode).to.equal(200);
      const list = await f.request('GET', keysUrl(kim), apiKey);
      expect(list.json().items.map((k: { keyId: string }) => k.keyId)).to.include(keyId);
      expect(list.body).to.not.include(apiKey.slice(`cl_${keyId}_`.length));
    });

    it('a revoked key answers 401 at once; revoking it again is 409; the other keys keep working', async () => {
      const { apiKey, keyId } = (await f.request('POST', keysUrl(kim), kimKey)).json();
      const revoke = await f.request('DELETE', `${keysUrl(kim)}/${keyId}`, kimKey);
      expect(revoke.statusCode, revoke.body).to.equal(200);
      expect(revoke.json()).to.include({ keyId });
      expect(revoke.json().revokedAt).to.be.a('string');
      expectProblem(await f.request('GET', '/api/v1/members/me', apiKey), 401, 'UNAUTHENTICATED');
      expectProblem(await f.request('DELETE', `${keysUrl(kim)}/${keyId}`, kimKey), 409, 'CONFLICT');
      expect((await f.request('GET', '/api/v1/members/me', kimKey)).statusCode).to.equal(200);
      const listed = (await f.request('GET', keysUrl(kim), kimKey)).json().items.find((k: { keyId: string }) => k.keyId === keyId);
      expect(listed.revokedAt).to.equal(revoke.json().revokedAt);
    });

    it('a member revokes the key it is calling with; the next call with it is 401', async () => {
      const { apiKey, keyId } = (await f.request('POST', keysUrl(kim), kimKey)).json();
      expect((await f.request('DELETE', `${keysUrl(kim)}/${keyId}`, apiKey)).statusCode).to.equal(200);
      expectProblem(await f.request('GET', keysUrl(kim), apiKey), 401, 'UNAUTHENTICATED');
    });

    it('its county admin lists, adds and revokes the keys of the member', async () => {
      const list = await f.request('GET', keysUrl(kim), ldAdmin);
      expect(list.statusCode).to.equal(200);
      const added = await f.request('POST', keysUrl(kim), ldAdmin);
      expect(added.statusCode).to.equal(201);
      expect((await f.request('GET', '/api/v1/members/me', added.json().apiKey)).json().member).to.equal(kim);
      expect((await f.request('DELETE', `${keysUrl(kim)}/${added.json().keyId}`, ldAdmin)).statusCode).to.equal(200);
      expectProblem(await f.request('GET', '/api/v1/members/me', added.json().apiKey), 401, 'UNAUTHENTICATED');
    });

    it("another county's admin, or another member, is refused 403 and nothing changes", async () => {
      const lee = `lee-${run}`;
      const leeKey = await onboard(lee);
      expect((await f.request('POST', `/api/v1/members/${LIANGDANG}:${lee}/roles`, ldAdmin, { role: 'merchant' })).statusCode).to.equal(201);
      const before = f.keys.list(LIANGDANG, kim);
      const size = f.keys.size;
      const target = before[0]?.keyId as string;
      for (const [who, key] of [
        ['the admin of another county', hxAdmin],
        ['another member of the county, with a role', leeKey],
      ] as const) {
        for (const [method, url] of [
          ['GET', keysUrl(kim)],
          ['POST', keysUrl(kim)],
          ['DELETE', `${keysUrl(kim)}/${target}`],
        ] as const) {
          const res = await f.request(method, url, key);
          expectProblem(res, 403, 'FORBIDDEN');
          expect(res.json().instance, who).to.equal(url);
        }
      }
      // A member with no role cannot touch another member's keys either.
      expectProblem(await f.request('GET', keysUrl(lee), kimKey), 403, 'FORBIDDEN');
      expectProblem(await f.request('DELETE', `${keysUrl(lee)}/${f.keys.list(LIANGDANG, lee)[0]?.keyId}`, kimKey), 403, 'FORBIDDEN');
      expect(f.keys.list(LIANGDANG, kim)).to.deep.equal(before);
      expect(f.keys.size).to.equal(size);
      expect((await f.request('GET', '/api/v1/members/me', kimKey)).statusCode).to.equal(200);
      expect((await f.request('GET', '/api/v1/members/me', leeKey)).statusCode).to.equal(200);
    });

    it('an unknown member or key is 404, a malformed key ID 400, and nothing changes', async () => {
      const size = f.keys.size;
      expectProblem(await f.request('GET', keysUrl(`ghost-${run}`), ldAdmin), 404, 'NOT_FOUND');
      expectProblem(await f.request('POST', keysUrl(`ghost-${run}`), ldAdmin), 404, 'NOT_FOUND');
      expectProblem(await f.request('DELETE', `${keysUrl(kim)}/0123456789abcdef`, ldAdmin), 404, 'NOT_FOUND');
      // A key of another member is not found under this one.
      const adminKeyId = f.keys.list(LIANGDANG, 'admin')[0]?.keyId as string;
      expectProblem(await f.request('DELETE', `${keysUrl(kim)}/${adminKeyId}`, ldAdmin), 404, 'NOT_FOUND');
      expectProblem(await f.request('DELETE', `${keysUrl(kim)}/not-a-key-id`, ldAdmin), 400, 'INVALID_ARGUMENT');
      expect(f.keys.size).to.equal(size);
      expect((await f.request('GET', '/api/v1/members/me', ldAdmin)).statusCode).to.equal(200);
    });
  });

  describe('offboarding', () => {
    it('the county admin revokes the member’s roles and certificate on the ledger and every key here; a second offboarding is a conflict', async () => {
      const mo = `mo-${run}`;
      const first = await onboard(mo);
      const second = (await f.request('POST', keysUrl(mo), first)).json().apiKey as string;
      const res = await f.request('POST', `/api/v1/members/${LIANGDANG}:${mo}/offboarding`, ldAdmin);
      expect(res.statusCode, res.body).to.equal(200);
      expect(res.json().id).to.equal(`${LIANGDANG}:${mo}`);
      expect(res.json().revokedKeys).to.have.length(2);
      for (const key of [first, second]) expectProblem(await f.request('GET', '/api/v1/members/me', key), 401, 'UNAUTHENTICATED');
      expect(f.keys.list(LIANGDANG, mo).every((k) => k.revokedAt !== null)).to.equal(true);
      const again = await f.request('POST', `/api/v1/members/${LIANGDANG}:${mo}/offboarding`, ldAdmin);
      expectProblem(again, 409, 'CONFLICT');
      // The chaincode recorded the certificate as revoked: it refuses the member's identity itself.
      const who = f.ledger.wallet.ledgerIdentity(LIANGDANG, mo);
      await expectLedgerError(f.ledger.ledger.evaluate(who, { name: tx.membership.whoAmI.qualifiedName, args: [] }), 'FORBIDDEN');
    });

    it("is refused to another county's admin and to a member (403), and to an unknown member (404); nothing changes", async () => {
      const ned = `ned-${run}`;
      const nedKey = await onboard(ned);
      const other = await onboard(`other-${run}`);
      await f.grant(LIANGDANG, `other-${run}`, 'regulator');
      for (const key of [hxAdmin, other, nedKey]) {
        expectProblem(await f.request('POST', `/api/v1/members/${LIANGDANG}:${ned}/offboarding`, key), 403, 'FORBIDDEN');
      }
      expect(f.keys.list(LIANGDANG, ned).map((k) => k.revokedAt)).to.deep.equal([null]);
      expect((await f.request('GET', '/api/v1/members/me', nedKey)).statusCode).to.equal(200);
      expectProblem(await f.request('POST', `/api/v1/members/${LIANGDANG}:ghost-${run}/offboarding`, ldAdmin), 404, 'NOT_FOUND');
    });
  });

  describe("the gateway's own identities cannot be claimed", () => {
    it('onboarding the public reader’s name is refused (409) in every county, and issues nothing', async () => {
      // The public reader of the first county exists once a public route has been called.
      expect((await f.request('GET', '/api/v1/public/blacklist')).statusCode).to.equal(200);
      expect(f.ledger.wallet.has(LIANGDANG, PUBLIC_READER)).to.equal(true);
      const size = f.keys.size;
      const hxHad = f.ledger.wallet.has(HUIXIAN, PUBLIC_READER);
      for (const [admin, member] of [
        [ldAdmin, PUBLIC_READER],
        [hxAdmin, PUBLIC_READER],
        [ldAdmin, 'Public-Reader'],
        [ldAdmin, 'peer0.liangdang'],
        [hxAdmin, 'peer1.huixian'],
      ] as const) {
        const res = await f.request('POST', '/api/v1/members', admin, { member });
        expectProblem(res, 409, 'CONFLICT');
        expect(res.json().detail, member).to.match(/keeps for its own identities/);
      }
      expect(f.keys.size).to.equal(size);
      expect(f.keys.list(LIANGDANG, PUBLIC_READER)).to.deep.equal([]);
      expect(f.ledger.wallet.has(HUIXIAN, PUBLIC_READER)).to.equal(hxHad);
      expect(f.ledger.wallet.has(HUIXIAN, 'peer1.huixian')).to.equal(false);
    });

    it('no key can be added for them, and they cannot be offboarded (403)', async () => {
      const size = f.keys.size;
      expectProblem(await f.request('POST', keysUrl(PUBLIC_READER), ldAdmin), 403, 'FORBIDDEN');
      expectProblem(await f.request('POST', keysUrl('peer0.liangdang'), ldAdmin), 403, 'FORBIDDEN');
      expectProblem(await f.request('GET', keysUrl(PUBLIC_READER), ldAdmin), 403, 'FORBIDDEN');
      expectProblem(await f.request('POST', `/api/v1/members/${LIANGDANG}:${PUBLIC_READER}/offboarding`, ldAdmin), 403, 'FORBIDDEN');
      expect(f.keys.size).to.equal(size);
    });
  });

  describe('a member with no role', () => {
    const pat = `pat-${run}`;
    let patKey: string;
    const pdf = Buffer.from('%PDF-1.4 a report');
    const upload = (url: string) => {
      const body = multipartBody({ content: pdf, contentType: 'application/pdf', name: 'report.pdf' });
      return f.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${patKey}` } });
    };
    const refusedUrls = [
      '/api/v1/blacklist',
      `/api/v1/subjects/${creditCode('621228', 7)}/credit/events`,
      '/api/v1/events',
      `/api/v1/members?mspId=${LIANGDANG}&role=merchant`,
      `/api/v1/members/${LIANGDANG}:admin`,
    ];
    before(async () => {
      patKey = await onboard(pat);
    });

    it('reaches /members/me and its own keys, and nothing else: reads, the event stream, uploads (403, nothing written)', async () => {
      expect((await f.request('GET', '/api/v1/members/me', patKey)).json()).to.include({ member: pat, isCountyAdmin: false });
      expect((await f.request('GET', keysUrl(pat), patKey)).statusCode).to.equal(200);
      const height = await f.ledger.ledger.height();
      for (const url of refusedUrls) {
        const res = await f.request('GET', url, patKey);
        expectProblem(res, 403, 'FORBIDDEN');
        expect(res.json().detail, url).to.match(/holds no role/);
      }
      expectProblem(await upload('/api/v1/evidence'), 403, 'FORBIDDEN');
      expectProblem(await upload('/api/v1/evidence/verify'), 403, 'FORBIDDEN');
      expect(await f.ledger.ledger.height()).to.equal(height);
    });

    it('a role granted through the gateway lets it in at once, and revoking its last role shuts it out at once', async () => {
      expect((await f.request('POST', `/api/v1/members/${LIANGDANG}:${pat}/roles`, ldAdmin, { role: 'auditor' })).statusCode).to.equal(201);
      expect((await f.request('GET', `/api/v1/members/${LIANGDANG}:admin`, patKey)).statusCode).to.equal(200);
      expect((await f.request('DELETE', `/api/v1/members/${LIANGDANG}:${pat}/roles/auditor`, ldAdmin)).statusCode).to.equal(200);
      expectProblem(await f.request('GET', `/api/v1/members/${LIANGDANG}:admin`, patKey), 403, 'FORBIDDEN');
      expect((await f.request('GET', '/api/v1/members/me', patKey)).json().roles).to.deep.equal([]);
    });
  });
});

describe('gateway: the role rule reads roles through a short-lived cache', () => {
  let app: FastifyInstance;
  let ledger: LedgerFixture;
  let asked = 0;
  let clock = 0;
  let memberRoles: MemberRoles;
  let key: string;
  let roleless: string;

  before(async () => {
    ledger = await openLedgerFixture();
    const keys = await ApiKeyStore.open(path.join(ledger.dir, 'keys.json'));
    const counting = Object.create(ledger.ledger) as Ledger;
    counting.evaluate = (identity, request) => {
      if (request.name === tx.membership.whoAmI.qualifiedName) asked++;
      return ledger.ledger.evaluate(identity, request);
    };
    memberRoles = new MemberRoles(counting, { ttlMs: 1000, now: () => clock });
    app = Fastify();
    registerErrorHandler(app);
    registerAuth(app, keys, ledger.wallet, counting);
    registerRoleRule(app, memberRoles);
    app.get('/anything', async () => ({ ok: true }));
    app.get('/me', { config: { noRoleNeeded: true } }, async () => ({ ok: true }));
    const admin = await ledger.identity(LIANGDANG, 'admin');
    await ledger.identity(LIANGDANG, 'reg');
    await ledger.identity(LIANGDANG, 'none');
    await submit(ledger.ledger, admin, tx.membership.grantRole, { member: 'reg', role: 'regulator' });
    key = (await keys.create(LIANGDANG, 'reg')).apiKey;
    roleless = (await keys.create(LIANGDANG, 'none')).apiKey;
  });
  after(async () => {
    await app.close();
    await ledger.cleanup();
  });
  const get = (url: string, k: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${k}` } });

  it('asks the ledger once per caller within the cache lifetime, and again after it', async () => {
    asked = 0;
    for (let i = 0; i < 5; i++) expect((await get('/anything', key)).statusCode).to.equal(200);
    expect(asked).to.equal(1);
    clock += 1000;
    expect((await get('/anything', key)).statusCode).to.equal(200);
    expect(asked).to.equal(2);
  });

  it('a revocation made outside this gateway bites when the cached roles expire', async () => {
    const admin = ledger.wallet.ledgerIdentity(LIANGDANG, 'admin');
    expect((await get('/anything', key)).statusCode).to.equal(200);
    await submit(ledger.ledger, admin, tx.membership.revokeRole, { member: 'reg', role: 'regulator' });
    expect((await get('/anything', key)).statusCode, 'still cached').to.equal(200);
    clock += 1000;
    expectProblem(await get('/anything', key), 403, 'FORBIDDEN');
  });

  it('a route marked noRoleNeeded asks nothing and lets a member without a role through', async () => {
    asked = 0;
    expect((await get('/me', roleless)).statusCode).to.equal(200);
    expect(asked).to.equal(0);
    expectProblem(await get('/anything', roleless), 403, 'FORBIDDEN');
  });
});
