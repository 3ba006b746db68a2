import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { expectLedgerError, sleep } from '../support/expect-error';
import { FENGXIAN, HUIXIAN, json, LedgerFixture, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';

describe('membership contract (through the embedded ledger)', () => {
  let f: LedgerFixture;
  let admin: LedgerIdentity;
  let hxAdmin: LedgerIdentity;
  let alice: LedgerIdentity;

  const submit = (who: LedgerIdentity, fn: string, input?: unknown) =>
    f.ledger.submit(who, { name: `Membership:${fn}`, args: input === undefined ? [] : [typeof input === 'string' ? input : JSON.stringify(input)] });
  const evaluate = async (who: LedgerIdentity, fn: string, input?: unknown) =>
    json(await f.ledger.evaluate(who, { name: `Membership:${fn}`, args: input === undefined ? [] : [JSON.stringify(input)] }));
  const grant = (who: LedgerIdentity, member: string, role: string) => submit(who, 'GrantRole', { member, role });
  const revoke = (who: LedgerIdentity, member: string, role: string) => submit(who, 'RevokeRole', { member, role });

  beforeEach(async () => {
    f = await openLedgerFixture();
    admin = await f.identity(LIANGDANG, 'admin1');
    hxAdmin = await f.identity(HUIXIAN, 'admin-hx');
    alice = await f.identity(LIANGDANG, 'alice');
  });
  afterEach(async () => {
    await f.cleanup();
  });

  describe('WhoAmI', () => {
    it('tells a county admin who it is: the admin certificate counts as the county-admin role', async () => {
      expect(await evaluate(admin, 'WhoAmI')).to.deep.equal({ mspId: LIANGDANG, member: 'admin1', isCountyAdmin: true, roles: ['county-admin'] });
    });

    it('tells a plain member its granted roles, in the order of the role list', async () => {
      expect(await evaluate(alice, 'WhoAmI')).to.deep.equal({ mspId: LIANGDANG, member: 'alice', isCountyAdmin: false, roles: [] });
      await grant(admin, 'alice', 'verifier');
      await grant(admin, 'alice', 'regulator');
      expect((await evaluate(alice, 'WhoAmI')).roles).to.deep.equal(['regulator', 'verifier']);
    });
  });

  describe('GrantRole and RevokeRole', () => {
    it('a county admin grants a role: the grant is a record, an event and a history entry', async () => {
      const r = await grant(admin, 'alice', 'merchant');
      const granted = json(r.payload);
      expect(granted).to.include({ mspId: LIANGDANG, member: 'alice', role: 'merchant', active: true, grantedBy: 'admin1', grantTxId: r.txId });
      expect(Date.parse(granted.grantedAt)).to.be.within(Date.now() - 60_000, Date.now());
      const member = await evaluate(hxAdmin, 'GetMember', { mspId: LIANGDANG, member: 'alice' });
      expect(member.roles).to.deep.equal(['merchant']);
      const block = await f.ledger.getBlock(r.blockNumber);
      expect(block?.data[0]?.event?.name).to.equal('membership.RoleGranted');
      expect(JSON.parse(Buffer.from(block?.data[0]?.event?.payload as string, 'base64').toString())).to.deep.equal({
        by: 'admin1',
        member: 'alice',
        mspId: LIANGDANG,
        role: 'merchant',
      });
    });

    it('keeps a note with the grant when given one', async () => {
      const r = await submit(admin, 'GrantRole', { member: 'alice', role: 'auditor', note: 'appointed by decision 12' });
      expect(json(r.payload).note).to.equal('appointed by decision 12');
    });

    it('revokes a role: the member no longer holds it, the record keeps who revoked it and when', async () => {
      await grant(admin, 'alice', 'merchant');
      const r = await revoke(admin, 'alice', 'merchant');
      expect(json(r.payload)).to.include({ active: false, revokedBy: 'admin1', revokeTxId: r.txId });
      expect((await evaluate(alice, 'WhoAmI')).roles).to.deep.equal([]);
      const member = await evaluate(alice, 'GetMember', { mspId: LIANGDANG, member: 'alice' });
      expect(member.roles).to.deep.equal([]);
      expect(member.grants).to.have.length(1);
      // A revoked role can be granted again.
      await grant(admin, 'alice', 'merchant');
      expect((await evaluate(alice, 'WhoAmI')).roles).to.deep.equal(['merchant']);
    });

    describe('segregation of duties', () => {
      const authorities = ['regulator', 'enforcement', 'verifier', 'auditor', 'finance'] as const;

      it('refuses a public-authority role to a merchant (RULE_VIOLATION), writing nothing', async () => {
        await grant(admin, 'alice', 'merchant');
        for (const role of authorities) {
          const height = await f.ledger.height();
          await expectLedgerError(grant(admin, 'alice', role), 'RULE_VIOLATION', new RegExp(`alice of LiangdangMSP holds merchant; ${role} and merchant`));
          expect(await f.ledger.height()).to.equal(height);
        }
        expect((await evaluate(alice, 'WhoAmI')).roles).to.deep.equal(['merchant']);
      });

      it('refuses the merchant role to a holder of any public-authority role', async () => {
        for (const role of authorities) {
          const member = `official-${role}`;
          await grant(admin, member, role);
          await expectLedgerError(grant(admin, member, 'merchant'), 'RULE_VIOLATION', new RegExp(`holds ${role}; merchant and ${role}`));
          const held = await evaluate(admin, 'GetMember', { mspId: LIANGDANG, member });
          expect(held.roles).to.deep.equal([role]);
        }
      });

      it('allows the role once the incompatible one is revoked, and authority roles together', async () => {
        await grant(admin, 'alice', 'merchant');
        await revoke(admin, 'alice', 'merchant');
        await grant(admin, 'alice', 'regulator');
        await grant(admin, 'alice', 'enforcement');
        await grant(admin, 'alice', 'county-admin');
        expect((await evaluate(alice, 'WhoAmI')).roles).to.deep.equal(['county-admin', 'regulator', 'enforcement']);
        // The same member name in another county is another member.
        await grant(hxAdmin, 'alice', 'merchant');
      });
    });

    it('a member granted county-admin may grant roles too', async () => {
      await grant(admin, 'alice', 'county-admin');
      await grant(alice, 'bob', 'verifier');
      expect((await evaluate(alice, 'GetMember', { mspId: LIANGDANG, member: 'bob' })).roles).to.deep.equal(['verifier']);
    });

    it('refuses a member without the county-admin role (FORBIDDEN), also one holding other roles', async () => {
      await expectLedgerError(grant(alice, 'bob', 'merchant'), 'FORBIDDEN', /alice of LiangdangMSP is not a county admin/);
      await grant(admin, 'alice', 'regulator');
      await expectLedgerError(grant(alice, 'bob', 'merchant'), 'FORBIDDEN');
      await grant(admin, 'bob', 'merchant');
      await expectLedgerError(revoke(alice, 'bob', 'merchant'), 'FORBIDDEN');
      expect((await evaluate(alice, 'GetMember', { mspId: LIANGDANG, member: 'bob' })).roles).to.deep.equal(['merchant']);
    });

    it('refuses granting a role already held (CONFLICT) and revoking one not held (NOT_FOUND)', async () => {
      await grant(admin, 'alice', 'merchant');
      const height = await f.ledger.height();
      await expectLedgerError(grant(admin, 'alice', 'merchant'), 'CONFLICT', /already holds merchant/);
      await expectLedgerError(revoke(admin, 'alice', 'finance'), 'NOT_FOUND');
      await revoke(admin, 'alice', 'merchant');
      await expectLedgerError(revoke(admin, 'alice', 'merchant'), 'NOT_FOUND');
      expect(await f.ledger.height()).to.equal(height + 1);
    });

    it('an admin acts in its own county only: a grant to a name lands in the admin’s county, never another', async () => {
      const hxBob = await f.identity(HUIXIAN, 'bob');
      // Liangdang's admin "grants" to bob, who exists only in Huixian.
      const r = await grant(admin, 'bob', 'enforcement');
      expect(json(r.payload).mspId).to.equal(LIANGDANG);
      expect(await evaluate(hxBob, 'WhoAmI')).to.deep.equal({ mspId: HUIXIAN, member: 'bob', isCountyAdmin: false, roles: [] });
      expect((await evaluate(hxBob, 'GetMember', { mspId: HUIXIAN, member: 'bob' })).grants).to.deep.equal([]);
      // Huixian's own admin can grant Huixian's bob; Liangdang's admin cannot revoke it.
      await grant(hxAdmin, 'bob', 'merchant');
      await expectLedgerError(revoke(admin, 'bob', 'merchant'), 'NOT_FOUND');
      expect((await evaluate(hxBob, 'WhoAmI')).roles).to.deep.equal(['merchant']);
      // A county-admin role granted in Liangdang gives no power in Huixian.
      const lBob = await f.identity(LIANGDANG, 'bob');
      await grant(admin, 'bob', 'county-admin');
      await grant(lBob, 'carol', 'merchant');
      expect((await evaluate(lBob, 'GetMember', { mspId: HUIXIAN, member: 'carol' })).roles).to.deep.equal([]);
      expect((await evaluate(lBob, 'GetMember', { mspId: LIANGDANG, member: 'carol' })).roles).to.deep.equal(['merchant']);
    });

    describe('bad input (INVALID_ARGUMENT), checked before anything is written', () => {
      const cases: Array<[string, unknown]> = [
        ['an unknown role', { member: 'alice', role: 'king' }],
        ['a member name with spaces', { member: 'bad name', role: 'merchant' }],
        ['a member name with a slash', { member: 'a/b', role: 'merchant' }],
        ['an empty member name', { member: '', role: 'merchant' }],
        ['a member name that is too long', { member: 'a'.repeat(129), role: 'merchant' }],
        ['a missing role', { member: 'alice' }],
        ['an extra field', { member: 'alice', role: 'merchant', mspId: HUIXIAN }],
        ['a note that is too long', { member: 'alice', role: 'merchant', note: 'n'.repeat(501) }],
        ['a number for the member', { member: 42, role: 'merchant' }],
        ['an array', ['alice', 'merchant']],
        ['text that is not JSON', '{member: alice'],
      ];
      for (const [what, input] of cases) {
        it(`refuses ${what}`, async () => {
          await expectLedgerError(submit(admin, 'GrantRole', input), 'INVALID_ARGUMENT');
          await expectLedgerError(submit(admin, 'RevokeRole', input), 'INVALID_ARGUMENT');
          expect(await f.ledger.height()).to.equal(0);
        });
      }

      it('refuses a missing or surplus argument, and names an unknown transaction', async () => {
        await expectLedgerError(submit(admin, 'GrantRole'), 'INVALID_ARGUMENT');
        await expectLedgerError(
          f.ledger.submit(admin, { name: tx.membership.grantRole.qualifiedName, args: [JSON.stringify({ member: 'alice', role: 'merchant' }), 'surplus'] }),
          'INVALID_ARGUMENT',
        );
        await expectLedgerError(submit(admin, 'GrantEverything', {}), 'NOT_FOUND', /GrantEverything/);
        expect(await f.ledger.height()).to.equal(0);
      });

      it('refuses bad queries too', async () => {
        await expectLedgerError(
          f.ledger.evaluate(alice, { name: tx.membership.getMember.qualifiedName, args: ['{"mspId":"L","member":"alice"}'] }),
          'INVALID_ARGUMENT',
        );
        await expectLedgerError(
          f.ledger.evaluate(alice, {
            name: tx.membership.listRoleHolders.qualifiedName,
            args: [JSON.stringify({ mspId: LIANGDANG, role: 'merchant', limit: 0 })],
          }),
          'INVALID_ARGUMENT',
        );
        await expectLedgerError(
          f.ledger.evaluate(alice, {
            name: tx.membership.listRoleHolders.qualifiedName,
            args: [JSON.stringify({ mspId: LIANGDANG, role: 'merchant', limit: 201 })],
          }),
          'INVALID_ARGUMENT',
        );
        await expectLedgerError(
          f.ledger.evaluate(alice, {
            name: tx.membership.roleHistory.qualifiedName,
            args: [JSON.stringify({ mspId: LIANGDANG, member: 'alice', cursor: 'not/base64url' })],
          }),
          'INVALID_ARGUMENT',
        );
      });
    });
  });

  describe('RoleHistory', () => {
    it('lists grants and revocations oldest first, a page at a time, with their transaction IDs', async () => {
      const txIds: string[] = [];
      const actions: Array<[string, string, string]> = [
        ['grant', 'merchant', 'granted'],
        ['grant', 'county-admin', 'granted'],
        ['revoke', 'merchant', 'revoked'],
        ['grant', 'merchant', 'granted'],
        ['revoke', 'county-admin', 'revoked'],
      ];
      for (const [op, role] of actions) {
        txIds.push((await (op === 'grant' ? grant(admin, 'alice', role) : revoke(admin, 'alice', role))).txId);
        await sleep(2); // history is ordered by transaction time (milliseconds)
      }
      await grant(admin, 'alicia', 'merchant');
      await grant(hxAdmin, 'alice', 'merchant');

      const pages: any[] = [];
      let cursor: string | undefined;
      do {
        const page = await evaluate(alice, 'RoleHistory', { mspId: LIANGDANG, member: 'alice', limit: 2, ...(cursor ? { cursor } : {}) });
        pages.push(page);
        cursor = page.nextCursor;
      } while (cursor && pages.length < 10);
      expect(pages.map((p) => p.items.length)).to.deep.equal([2, 2, 1]);
      expect(pages[2].nextCursor).to.equal(undefined);
      const items = pages.flatMap((p) => p.items);
      expect(items.map((c: { txId: string }) => c.txId)).to.deep.equal(txIds);
      expect(items.map((c: { role: string; action: string }) => [c.role, c.action])).to.deep.equal(actions.map(([, role, action]) => [role, action]));
      for (const c of items) expect(c).to.include({ mspId: LIANGDANG, member: 'alice', by: 'admin1' });

      const hx = await evaluate(alice, 'RoleHistory', { mspId: HUIXIAN, member: 'alice' });
      expect(hx.items).to.have.length(1);
      expect(hx.items[0]).to.include({ mspId: HUIXIAN, by: 'admin-hx' });
      expect(await evaluate(alice, 'RoleHistory', { mspId: FENGXIAN, member: 'alice' })).to.deep.equal({ items: [] });
    });

    it('refuses a cursor taken from another listing', async () => {
      await grant(admin, 'alice', 'merchant');
      await grant(admin, 'alice', 'county-admin');
      await grant(admin, 'bob', 'merchant');
      const page = await evaluate(alice, 'RoleHistory', { mspId: LIANGDANG, member: 'alice', limit: 1 });
      expect(page.nextCursor).to.be.a('string');
      await expectLedgerError(
        f.ledger.evaluate(alice, {
          name: tx.membership.roleHistory.qualifiedName,
          args: [JSON.stringify({ mspId: LIANGDANG, member: 'bob', cursor: page.nextCursor })],
        }),
        'INVALID_ARGUMENT',
        /cursor/,
      );
    });
  });

  describe('ListRoleHolders', () => {
    it('pages through the active holders of a role in one county, kept in step with revocations', async () => {
      for (const m of ['m1', 'm2', 'm3', 'm4', 'm5']) await grant(admin, m, 'merchant');
      await grant(admin, 'm6', 'verifier');
      await grant(hxAdmin, 'hx1', 'merchant');
      await revoke(admin, 'm2', 'merchant');

      const p1 = await evaluate(alice, 'ListRoleHolders', { mspId: LIANGDANG, role: 'merchant', limit: 2 });
      const p2 = await evaluate(alice, 'ListRoleHolders', { mspId: LIANGDANG, role: 'merchant', limit: 2, cursor: p1.nextCursor });
      expect(p2.nextCursor).to.equal(undefined);
      const holders = [...p1.items, ...p2.items];
      expect(holders.map((g: { member: string }) => g.member)).to.deep.equal(['m1', 'm3', 'm4', 'm5']);
      for (const g of holders) expect(g).to.include({ mspId: LIANGDANG, role: 'merchant', active: true });

      await grant(admin, 'm2', 'merchant');
      const all = await evaluate(alice, 'ListRoleHolders', { mspId: LIANGDANG, role: 'merchant' });
      expect(all.items.map((g: { member: string }) => g.member)).to.deep.equal(['m1', 'm2', 'm3', 'm4', 'm5']);
      expect((await evaluate(alice, 'ListRoleHolders', { mspId: HUIXIAN, role: 'merchant' })).items.map((g: { member: string }) => g.member)).to.deep.equal([
        'hx1',
      ]);
      expect(await evaluate(alice, 'ListRoleHolders', { mspId: FENGXIAN, role: 'finance' })).to.deep.equal({ items: [] });
    });
  });
});
