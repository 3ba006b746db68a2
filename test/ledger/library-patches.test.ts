import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { checkPatchedVersion, installedVersion, PATCHED_VERSIONS } from '../../chaincode/src/library-patches';

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

  it('refuses to load when an installed package is another version', () => {
    const patches = path.join(__dirname, '..', '..', 'gateway-api', 'src', 'ledger', 'embedded', 'library-patches.js');
    // In a child process: make fabric-shim's package.json say 9.9.9, then load the patch module.
    const script = `
      const pkg = require.resolve('fabric-shim/package.json', { paths: [${JSON.stringify(path.dirname(patches))}] });
      require.cache[pkg] = { id: pkg, filename: pkg, loaded: true, exports: { ...require(pkg), version: '9.9.9' } };
      require(${JSON.stringify(patches)});`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.status).to.not.equal(0);
    expect(child.stderr).to.include('fabric-shim 9.9.9 is installed, but the chaincode runtime patches internals of fabric-shim 2.5.8');
  });
});
