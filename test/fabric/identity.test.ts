import { outcome } from '../support/expect-error';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tx } from '../../chaincode/src/catalogue';
import { CaMaterial, issueCertificate, privateKeyObject } from '../../gateway-api/src/identity/county-ca';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { FabricAppFixture, openFabricApp, runId } from './fabric-fixture';

type JsonName = Parameters<typeof issueCertificate>[2];
const LIANGDANG = 'LiangdangMSP';

// The same crafted subjects as test/chaincode/identity.test.ts, issued by Liangdang's own CA and
// sent to the county's real peer: the chaincode reads the DER subject there too.
describe('on Fabric: the caller comes from the parsed certificate, not from a formatted name', () => {
  let f: FabricAppFixture;
  let ca: CaMaterial;

  const crafted = async (label: string, subject: JsonName): Promise<LedgerIdentity> => {
    const m = await issueCertificate(ca, label, subject);
    return { mspId: LIANGDANG, certificate: m.certificate, privateKey: privateKeyObject(m.privateKey) };
  };
  const whoAmI = async (who: LedgerIdentity) =>
    JSON.parse((await f.ledger.evaluate(who, { name: tx.membership.whoAmI.qualifiedName, args: [] })).toString('utf8'));

  before(async () => {
    f = await openFabricApp(LIANGDANG);
    // The county's gateway holds its own CA (custody): the CA that issues these certificates.
    ca = JSON.parse(readFileSync(path.join(f.dir, 'wallet-fabric', LIANGDANG, `${LIANGDANG}.ca.json`), 'utf8')) as CaMaterial;
    const admin = await f.identity(LIANGDANG, 'admin');
    await f.identity(LIANGDANG, `regulator-${runId}`);
    await f.ledger.submit(admin, { name: tx.membership.grantRole.qualifiedName, args: [JSON.stringify({ member: `regulator-${runId}`, role: 'regulator' })] });
  });
  after(async () => f?.close());

  it('CN=mallory//OU=admin is refused; O=x//CN=regulator is the member of its own CN with no roles', async () => {
    const mallory = await crafted('mallory', [{ C: ['CN'] }, { OU: ['client'] }, { CN: ['mallory//OU=admin'] }]);
    expect(await outcome(whoAmI(mallory))).to.equal('FORBIDDEN');
    const before = await f.ledger.height();
    expect(
      await outcome(
        f.ledger.submit(mallory, { name: tx.membership.grantRole.qualifiedName, args: [JSON.stringify({ member: 'mallory', role: 'regulator' })] }),
      ),
    ).to.equal('FORBIDDEN');
    expect(await f.ledger.height(), 'nothing written').to.equal(before);
    const eve = await crafted('eve', [{ C: ['CN'] }, { O: [`x//CN=regulator-${runId}`] }, { OU: ['client'] }, { CN: [`eve-${runId}`] }]);
    expect(await whoAmI(eve)).to.deep.equal({ mspId: LIANGDANG, member: `eve-${runId}`, isCountyAdmin: false, roles: [] });
  });

  it('an OU value that reads "OU=admin" is only a value; names with separators are refused', async () => {
    // The CA also sets the node OU (client) that Fabric's MSP classifies identities by.
    const carol = await crafted('carol', [{ C: ['CN'] }, { OU: ['client'] }, { OU: ['x,OU=admin'] }, { CN: [`carol-${runId}`] }]);
    expect(await whoAmI(carol)).to.deep.equal({ mspId: LIANGDANG, member: `carol-${runId}`, isCountyAdmin: false, roles: [] });
    // a multi-valued RDN (OU and CN in one) and several OUs: only the attributes count
    const dave = await crafted('dave', [{ C: ['CN'] }, { OU: ['client'], CN: [`dave-${runId}`] }, { OU: ["it's x+y=z, OU=admin"] }]);
    expect(await whoAmI(dave)).to.include({ member: `dave-${runId}`, isCountyAdmin: false });
    for (const cn of ['a,b', 'a+b', 'a=b', 'a/b', 'a"b', "it's"]) {
      const odd = await crafted('odd', [{ C: ['CN'] }, { OU: ['client'] }, { CN: [cn] }]);
      expect(await outcome(whoAmI(odd)), cn).to.equal('FORBIDDEN');
    }
  });
});
