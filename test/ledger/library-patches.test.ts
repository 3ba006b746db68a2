import { expect } from 'chai';
import { checkPatchedVersion, installedVersion, PATCHED_VERSIONS } from '../../gateway-api/src/ledger/embedded/library-patches';

describe('embedded ledger: library patches are tied to the versions they were written for', () => {
  it('refuses another version, naming the package, the expected and the found version', () => {
    for (const found of ['2.5.9', '3.0.0', '2.5.8-beta.1']) {
      expect(() => checkPatchedVersion('fabric-shim', '2.5.8', found))
        .to.throw(Error)
        .that.satisfies((e: Error) => e.message.includes('fabric-shim') && e.message.includes('2.5.8') && e.message.includes(found));
    }
  });

  it('refuses a package whose version cannot be read', () => {
    expect(() => checkPatchedVersion('@fidm/x509', '1.2.1', undefined)).to.throw(/@fidm\/x509.*1\.2\.1/);
  });

  it('accepts the expected version', () => {
    expect(() => checkPatchedVersion('@fidm/x509', '1.2.1', '1.2.1')).not.to.throw();
  });

  it('accepts the installed fabric-shim, fabric-contract-api and @fidm/x509', () => {
    expect(Object.keys(PATCHED_VERSIONS).sort()).to.deep.equal(['@fidm/x509', 'fabric-contract-api', 'fabric-shim']);
    for (const [pkg, expected] of Object.entries(PATCHED_VERSIONS)) {
      const found = installedVersion(pkg);
      expect(found, pkg).to.equal(expected);
      expect(() => checkPatchedVersion(pkg, expected, found)).not.to.throw();
    }
  });
});
