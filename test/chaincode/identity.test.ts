import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tx } from '../../chaincode/src/catalogue';
import { derOfPem, OID_COMMON_NAME, OID_ORGANISATIONAL_UNIT, subjectOfCertificate } from '../../chaincode/src/kernel/certificate-subject';
import { CaMaterial, issueCertificate, privateKeyObject } from '../../gateway-api/src/identity/county-ca';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { expectLedgerError } from '../support/expect-error';
import { json, LedgerFixture, LIANGDANG, openLedgerFixture, sharedWalletDir } from '../support/ledger-fixture';

type JsonName = Parameters<typeof issueCertificate>[2];

// Identities whose certificate subjects a county's CA could be made to issue (a registrar choosing
// name fields): the chaincode must read county, member and OUs from the certificate itself.
describe('chaincode: the caller comes from the parsed certificate, not from a formatted name', () => {
  let f: LedgerFixture;
  let ca: CaMaterial;
  let admin: LedgerIdentity;

  const crafted = async (label: string, subject: JsonName): Promise<LedgerIdentity> => {
    const m = await issueCertificate(ca, label, subject);
    return { mspId: LIANGDANG, certificate: m.certificate, privateKey: privateKeyObject(m.privateKey) };
  };
  const whoAmI = async (who: LedgerIdentity) => json(await f.ledger.evaluate(who, { name: tx.membership.whoAmI.qualifiedName, args: [] }));
  const grant = (who: LedgerIdentity, member: string, role: string) =>
    f.ledger.submit(who, { name: tx.membership.grantRole.qualifiedName, args: [JSON.stringify({ member, role })] });

  before(async () => {
    f = await openLedgerFixture();
    ca = JSON.parse(readFileSync(path.join(await sharedWalletDir(), `${LIANGDANG}.ca.json`), 'utf8')) as CaMaterial;
    admin = await f.identity(LIANGDANG, 'admin');
    await f.identity(LIANGDANG, 'regulator');
    await grant(admin, 'regulator', 'regulator');
  });
  after(async () => f?.cleanup());

  it('reads the subject attributes from DER, one per attribute, with multi-valued RDNs, and separators and quotes kept as values', async () => {
    const m = await issueCertificate(ca, 'x', [{ C: ['CN'] }, { OU: ['client', 'x,OU=admin'], CN: ['alice'] }, { O: ['x/y +r=s, t a"b'] }]);
    const attrs = subjectOfCertificate(derOfPem(m.certificate));
    expect(attrs.filter((a) => a.oid === OID_COMMON_NAME).map((a) => a.value)).to.deep.equal(['alice']);
    expect(attrs.filter((a) => a.oid === OID_ORGANISATIONAL_UNIT).map((a) => a.value)).to.deep.equal(['client', 'x,OU=admin']);
    expect(attrs.find((a) => a.oid === '2.5.4.10')?.value).to.equal('x/y +r=s, t a"b');
    expect(new Set(attrs.filter((a) => a.rdn === 1).map((a) => a.oid))).to.deep.equal(new Set([OID_COMMON_NAME, OID_ORGANISATIONAL_UNIT]));
  });

  it('CN=mallory//OU=admin is no county admin: its common name is not a member name, so every call is refused', async () => {
    const mallory = await crafted('mallory', [{ C: ['CN'] }, { OU: ['client'] }, { CN: ['mallory//OU=admin'] }]);
    await expectLedgerError(whoAmI(mallory), 'FORBIDDEN', /common name is not a member name/);
    const before = await f.ledger.height();
    await expectLedgerError(grant(mallory, 'mallory', 'regulator'), 'FORBIDDEN');
    expect(await f.ledger.height(), 'nothing written').to.equal(before);
  });

  it('O=x//CN=regulator is the member of its own common name, without the regulator’s roles', async () => {
    const eve = await crafted('eve', [{ C: ['CN'] }, { O: ['x//CN=regulator'] }, { OU: ['client'] }, { CN: ['eve'] }]);
    expect(await whoAmI(eve)).to.deep.equal({ mspId: LIANGDANG, member: 'eve', isCountyAdmin: false, roles: [] });
    expect((await whoAmI(await f.identity(LIANGDANG, 'regulator'))).roles).to.deep.equal(['regulator']);
  });

  it('an OU value that looks like "OU=admin", and one in a multi-valued RDN, is only a value', async () => {
    const carol = await crafted('carol', [{ C: ['CN'] }, { OU: ['client,OU=admin'] }, { CN: ['carol'] }]);
    expect(await whoAmI(carol)).to.include({ member: 'carol', isCountyAdmin: false });
    const dave = await crafted('dave', [{ OU: ['client'], CN: ['dave'] }]);
    expect(await whoAmI(dave)).to.include({ member: 'dave', isCountyAdmin: false });
    await expectLedgerError(grant(dave, 'dave', 'regulator'), 'FORBIDDEN');
  });

  it('an OU=admin attribute the CA issued (Fabric NodeOU) makes a county admin, also beside other OUs', async () => {
    const second = await crafted('admin-2', [{ C: ['CN'] }, { OU: ['client'] }, { OU: ['admin'] }, { CN: ['admin-2'] }]);
    expect(await whoAmI(second)).to.include({ member: 'admin-2', isCountyAdmin: true });
  });

  it('refuses certificates with no or two common names, and names with separators, quotes or escapes', async () => {
    for (const subject of [
      [{ OU: ['client'] }],
      [{ CN: ['a'] }, { CN: ['b'] }],
      [{ CN: ['a,b'] }],
      [{ CN: ['a+b'] }],
      [{ CN: ['a=b'] }],
      [{ CN: ['a"b'] }],
      [{ CN: ["it's"] }],
      [{ CN: ['a/b'] }],
      [{ CN: ['a b'] }],
    ] as JsonName[]) {
      const who = await crafted('odd', subject);
      await expectLedgerError(whoAmI(who), 'FORBIDDEN');
    }
  });
});
