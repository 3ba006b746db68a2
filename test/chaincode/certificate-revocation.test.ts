import { X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { digestsOf } from '../../chaincode/src/evidence/anchor';
import { MembershipEvents } from '../../chaincode/src/membership/membership-contract';
import { evaluate, submit } from '../../gateway-api/src/ledger/calls';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { expectLedgerError } from '../support/expect-error';
import { HUIXIAN, LedgerFixture, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';

/** The fingerprint as openssl and Node print it, without the colons: what the ledger names a certificate by. */
const fingerprintOf = (pem: string) => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();

describe('membership: certificate revocation and offboarding (through the embedded ledger)', () => {
  let f: LedgerFixture;
  let admin: LedgerIdentity;
  let admin2: LedgerIdentity;
  let hxAdmin: LedgerIdentity;
  let alice: LedgerIdentity;
  let bob: LedgerIdentity;
  let hxBob: LedgerIdentity;

  const grant = (member: string, role: 'regulator' | 'auditor' | 'verifier' | 'merchant' | 'county-admin', by = admin) =>
    submit(f.ledger, by, tx.membership.grantRole, { member, role });
  const revokeCert = (by: LedgerIdentity, member: string, of: LedgerIdentity, reason = 'key lost') =>
    submit(f.ledger, by, tx.membership.revokeCertificate, { member, certificate: of.certificate, reason });
  const offboard = (by: LedgerIdentity, member: string, of: LedgerIdentity, reason = 'left the bureau') =>
    submit(f.ledger, by, tx.membership.offboardMember, { member, certificate: of.certificate, reason });
  let anchored = 0;
  const anchor = (who: LedgerIdentity) => {
    const d = digestsOf(Buffer.from(`file ${anchored++}`));
    return submit(f.ledger, who, tx.evidence.anchor, { sha256: d.sha256, sm3: d.sm3, sizeBytes: 10, mediaType: 'text/plain' });
  };
  const eventOf = async (blockNumber: number) => {
    const event = (await f.ledger.getBlock(blockNumber))?.data[0]?.event;
    return { name: event?.name, payload: JSON.parse(Buffer.from(event?.payload as string, 'base64').toString()) as unknown };
  };

  beforeEach(async () => {
    f = await openLedgerFixture();
    admin = await f.identity(LIANGDANG, 'admin1');
    admin2 = await f.identity(LIANGDANG, 'admin2');
    hxAdmin = await f.identity(HUIXIAN, 'admin-hx');
    alice = await f.identity(LIANGDANG, 'alice');
    bob = await f.identity(LIANGDANG, 'bob');
    hxBob = await f.identity(HUIXIAN, 'bob');
  });
  afterEach(async () => f.cleanup());

  describe('RevokeCertificate', () => {
    it('records the revocation, named by the SHA-256 of the DER, with one event; anyone reads it', async () => {
      const r = await revokeCert(admin, 'alice', alice, '  key lost  ');
      const x509 = new X509Certificate(alice.certificate);
      const expected = {
        mspId: LIANGDANG,
        sha256: fingerprintOf(alice.certificate),
        // The record keeps the DER integer's bytes as hex (a leading 00 when the top bit is set, both
        // digits of a first byte below 0x10); node prints the number without those: compare the numbers.
        serialNumber: r.result.serialNumber,
        member: 'alice',
        reason: 'key lost',
        revokedBy: 'admin1',
        revokedAt: r.result.revokedAt,
        txId: r.txId,
        offboarding: false,
      };
      expect(r.result).to.deep.equal(expected);
      expect(r.result.serialNumber).to.match(/^([0-9a-f]{2})+$/);
      expect(BigInt(`0x${r.result.serialNumber}`)).to.equal(BigInt(`0x${x509.serialNumber}`));
      expect(Date.parse(r.result.revokedAt)).to.be.within(Date.now() - 60_000, Date.now());
      expect(await eventOf(r.blockNumber)).to.deep.equal({
        name: MembershipEvents.CertificateRevoked,
        payload: { mspId: LIANGDANG, member: 'alice', sha256: expected.sha256, by: 'admin1' },
      });
      expect(await evaluate(f.ledger, hxAdmin, tx.membership.getCertificateRevocation, { mspId: LIANGDANG, sha256: expected.sha256 })).to.deep.equal(expected);
    });

    it('a revoked certificate is refused FORBIDDEN on a submit and on an evaluate, and its submit writes nothing', async () => {
      await grant('alice', 'regulator');
      await anchor(alice); // works before the revocation
      await revokeCert(admin, 'alice', alice);
      const height = await f.ledger.height();
      await expectLedgerError(anchor(alice), 'FORBIDDEN', /certificate .* was revoked by LiangdangMSP/);
      await expectLedgerError(evaluate(f.ledger, alice, tx.membership.whoAmI, undefined), 'FORBIDDEN', /was revoked/);
      await expectLedgerError(evaluate(f.ledger, alice, tx.counties.list, undefined), 'FORBIDDEN', /was revoked/);
      await expectLedgerError(grant('carol', 'merchant', alice), 'FORBIDDEN', /was revoked/);
      expect(await f.ledger.height()).to.equal(height);
      // Only that certificate: the county's other members are not touched, nor the same name in another county.
      await grant('bob', 'regulator');
      await anchor(bob);
      expect((await evaluate(f.ledger, hxBob, tx.membership.whoAmI, undefined)).mspId).to.equal(HUIXIAN);
      expect((await evaluate(f.ledger, bob, tx.membership.getMember, { mspId: LIANGDANG, member: 'alice' })).roles).to.deep.equal(['regulator']);
    });

    it('an admin revokes another admin of the same county, whose certificate is then refused', async () => {
      await revokeCert(admin, 'admin2', admin2, 'admin left');
      const height = await f.ledger.height();
      await expectLedgerError(grant('carol', 'merchant', admin2), 'FORBIDDEN', /was revoked/);
      await expectLedgerError(revokeCert(admin2, 'admin1', admin), 'FORBIDDEN', /was revoked/);
      expect(await f.ledger.height()).to.equal(height);
      await grant('carol', 'merchant', admin);
      // A member granted county-admin may revoke too.
      await grant('bob', 'county-admin');
      await revokeCert(bob, 'admin1', admin);
      await expectLedgerError(evaluate(f.ledger, admin, tx.membership.whoAmI, undefined), 'FORBIDDEN', /was revoked/);
    });

    it('refuses an admin of another county (FORBIDDEN), and writes nothing', async () => {
      const height = await f.ledger.height();
      await expectLedgerError(revokeCert(hxAdmin, 'alice', alice), 'FORBIDDEN', /not issued by the CA of HuixianMSP/);
      await expectLedgerError(revokeCert(admin, 'bob', hxBob), 'FORBIDDEN', /not issued by the CA of LiangdangMSP/);
      await expectLedgerError(offboard(hxAdmin, 'alice', alice), 'FORBIDDEN', /not issued by the CA of HuixianMSP/);
      expect(await f.ledger.height()).to.equal(height);
      expect((await evaluate(f.ledger, alice, tx.membership.whoAmI, undefined)).member).to.equal('alice');
      expect((await evaluate(f.ledger, alice, tx.membership.listCertificateRevocations, { mspId: HUIXIAN })).items).to.deep.equal([]);
      expect((await evaluate(f.ledger, alice, tx.membership.listCertificateRevocations, { mspId: LIANGDANG })).items).to.deep.equal([]);
    });

    it('refuses a member who is no county admin, also one holding other roles (FORBIDDEN), and writes nothing', async () => {
      await grant('alice', 'regulator');
      const height = await f.ledger.height();
      await expectLedgerError(revokeCert(alice, 'bob', bob), 'FORBIDDEN', /alice of LiangdangMSP is not a county admin/);
      await expectLedgerError(offboard(alice, 'bob', bob), 'FORBIDDEN', /not a county admin/);
      expect(await f.ledger.height()).to.equal(height);
      expect((await evaluate(f.ledger, bob, tx.membership.whoAmI, undefined)).member).to.equal('bob');
    });

    it('refuses revoking a certificate twice (CONFLICT)', async () => {
      await revokeCert(admin, 'alice', alice);
      const height = await f.ledger.height();
      await expectLedgerError(revokeCert(admin, 'alice', alice), 'CONFLICT', /already revoked/);
      expect(await f.ledger.height()).to.equal(height);
    });

    describe('bad input (INVALID_ARGUMENT), nothing written', () => {
      const garbagePem = `-----BEGIN CERTIFICATE-----\n${Buffer.from('not a certificate at all').toString('base64')}\n-----END CERTIFICATE-----\n`;
      const cases: Array<[string, (c: string) => unknown]> = [
        ['a certificate of another member than named', (c) => ({ member: 'bob', certificate: c, reason: 'x' })],
        ['text that is no PEM certificate', () => ({ member: 'alice', certificate: 'hello', reason: 'x' })],
        ['a PEM block that holds no certificate', () => ({ member: 'alice', certificate: garbagePem, reason: 'x' })],
        ['a certificate with bytes after it', (c) => ({ member: 'alice', certificate: appendToDer(c), reason: 'x' })],
        ['a blank reason', (c) => ({ member: 'alice', certificate: c, reason: '   ' })],
        ['a reason that is too long', (c) => ({ member: 'alice', certificate: c, reason: 'r'.repeat(501) })],
        ['a missing reason', (c) => ({ member: 'alice', certificate: c })],
        ['an extra field', (c) => ({ member: 'alice', certificate: c, reason: 'x', mspId: HUIXIAN })],
        ['a bad member name', (c) => ({ member: 'a/b', certificate: c, reason: 'x' })],
      ];
      for (const [what, input] of cases) {
        it(`refuses ${what}`, async () => {
          const args = [JSON.stringify(input(alice.certificate))];
          await expectLedgerError(f.ledger.submit(admin, { name: tx.membership.revokeCertificate.qualifiedName, args }), 'INVALID_ARGUMENT');
          await expectLedgerError(f.ledger.submit(admin, { name: tx.membership.offboardMember.qualifiedName, args }), 'INVALID_ARGUMENT');
          expect(await f.ledger.height()).to.equal(0);
        });
      }

      it('refuses bad queries', async () => {
        await expectLedgerError(
          f.ledger.evaluate(alice, { name: tx.membership.getCertificateRevocation.qualifiedName, args: [JSON.stringify({ mspId: LIANGDANG, sha256: 'ABC' })] }),
          'INVALID_ARGUMENT',
        );
        await expectLedgerError(
          f.ledger.evaluate(alice, { name: tx.membership.listCertificateRevocations.qualifiedName, args: [JSON.stringify({ mspId: LIANGDANG, limit: 201 })] }),
          'INVALID_ARGUMENT',
        );
        await expectLedgerError(
          evaluate(f.ledger, alice, tx.membership.getCertificateRevocation, { mspId: LIANGDANG, sha256: fingerprintOf(alice.certificate) }),
          'NOT_FOUND',
        );
      });
    });
  });

  describe('ListCertificateRevocations', () => {
    it("lists a county's revocations a page at a time, and only that county's", async () => {
      const carol = await f.identity(LIANGDANG, 'carol');
      await revokeCert(admin, 'alice', alice);
      await revokeCert(admin, 'bob', bob);
      await revokeCert(admin, 'carol', carol);
      await revokeCert(hxAdmin, 'bob', hxBob);
      const first = await evaluate(f.ledger, admin, tx.membership.listCertificateRevocations, { mspId: LIANGDANG, limit: 2 });
      expect(first.items).to.have.length(2);
      expect(first.nextCursor).to.be.a('string');
      const second = await evaluate(f.ledger, admin, tx.membership.listCertificateRevocations, { mspId: LIANGDANG, limit: 2, cursor: first.nextCursor });
      expect(second.nextCursor).to.equal(undefined);
      const all = [...first.items, ...second.items];
      expect(all.map((r) => r.sha256)).to.have.members([alice, bob, carol].map((c) => fingerprintOf(c.certificate)));
      expect(all.map((r) => r.sha256)).to.deep.equal([...all.map((r) => r.sha256)].sort());
      const hx = await evaluate(f.ledger, admin, tx.membership.listCertificateRevocations, { mspId: HUIXIAN });
      expect(hx.items.map((r) => [r.mspId, r.member, r.sha256])).to.deep.equal([[HUIXIAN, 'bob', fingerprintOf(hxBob.certificate)]]);
    });
  });

  describe('OffboardMember', () => {
    it('revokes every active role and the certificate in one transaction, with one event', async () => {
      await grant('alice', 'verifier');
      await submit(f.ledger, admin, tx.membership.revokeRole, { member: 'alice', role: 'verifier' });
      await grant('alice', 'regulator');
      await grant('alice', 'auditor');
      const r = await offboard(admin, 'alice', alice, 'transferred to Huixian');
      const sha256 = fingerprintOf(alice.certificate);
      expect(r.result.revokedRoles.map((g) => [g.role, g.active, g.revokedBy, g.revokeTxId])).to.deep.equal([
        ['regulator', false, 'admin1', r.txId],
        ['auditor', false, 'admin1', r.txId],
      ]);
      expect(r.result.certificate).to.include({ mspId: LIANGDANG, member: 'alice', sha256, offboarding: true, txId: r.txId, reason: 'transferred to Huixian' });
      expect(await eventOf(r.blockNumber)).to.deep.equal({
        name: MembershipEvents.MemberOffboarded,
        payload: { mspId: LIANGDANG, member: 'alice', roles: ['regulator', 'auditor'], sha256, by: 'admin1' },
      });
      const member = await evaluate(f.ledger, bob, tx.membership.getMember, { mspId: LIANGDANG, member: 'alice' });
      expect(member.roles).to.deep.equal([]);
      expect(member.grants.filter((g) => g.active)).to.deep.equal([]);
      expect(await evaluate(f.ledger, bob, tx.membership.getCertificateRevocation, { mspId: LIANGDANG, sha256 })).to.deep.equal(r.result.certificate);
      // Both role revocations are in the history, under the one transaction.
      const history = await evaluate(f.ledger, bob, tx.membership.roleHistory, { mspId: LIANGDANG, member: 'alice' });
      const offboarding = history.items.filter((c) => c.txId === r.txId);
      expect(offboarding.map((c) => [c.role, c.action, c.note])).to.have.deep.members([
        ['regulator', 'revoked', 'offboarded: transferred to Huixian'],
        ['auditor', 'revoked', 'offboarded: transferred to Huixian'],
      ]);
      expect(history.items).to.have.length(6);
      const height = await f.ledger.height();
      await expectLedgerError(anchor(alice), 'FORBIDDEN', /was revoked/);
      await expectLedgerError(evaluate(f.ledger, alice, tx.membership.whoAmI, undefined), 'FORBIDDEN', /was revoked/);
      expect(await f.ledger.height()).to.equal(height);
    });

    it('offboards a member without roles, and one whose certificate is already revoked (kept as it was); then there is nothing left (CONFLICT)', async () => {
      const noRoles = await offboard(admin, 'bob', bob);
      expect(noRoles.result.revokedRoles).to.deep.equal([]);
      expect(noRoles.result.certificate.offboarding).to.equal(true);

      await grant('alice', 'regulator');
      const earlier = await revokeCert(admin, 'alice', alice, 'key lost');
      const r = await offboard(admin, 'alice', alice);
      expect(r.result.revokedRoles.map((g) => g.role)).to.deep.equal(['regulator']);
      expect(r.result.certificate).to.deep.equal(earlier.result);
      const height = await f.ledger.height();
      await expectLedgerError(offboard(admin, 'alice', alice), 'CONFLICT', /holds no role and the certificate is already revoked/);
      expect(await f.ledger.height()).to.equal(height);
    });
  });
});

/** The PEM of a certificate with a byte appended to its DER. */
function appendToDer(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  return `-----BEGIN CERTIFICATE-----\n${Buffer.concat([der, Buffer.from([0])]).toString('base64')}\n-----END CERTIFICATE-----\n`;
}
