import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { allTransactions } from '../../chaincode/src/catalogue';
import { importsOf, REPO_ROOT, sourceFiles } from './source-imports';

const PUBLIC_SURFACE = path.join(REPO_ROOT, 'chaincode/src/public.ts');
const CHAINCODE = path.join(REPO_ROOT, 'chaincode/src');

/** Chaincode modules a gateway file imports other than the public surface. */
function chaincodeImportsBesidesPublic(file: string): string[] {
  return importsOf(file)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => path.resolve(path.dirname(file), spec))
    .filter((target) => target.startsWith(CHAINCODE) && `${target}.ts` !== PUBLIC_SURFACE && target !== PUBLIC_SURFACE);
}

/** `'Contract:Transaction'` literals in a file, for the contracts of the catalogue and the test and bench contracts. */
function transactionNameLiterals(file: string, contracts: ReadonlySet<string>): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/['"`]([A-Z][A-Za-z]+):([A-Z][A-Za-z]+)['"`]/g)].filter((m) => contracts.has(m[1] as string)).map((m) => m[0]);
}

describe('architecture: boundaries between chaincode, gateway, tests and benchmarks', () => {
  it('the gateway imports the chaincode only through chaincode/src/public.ts', () => {
    const offences = sourceFiles('gateway-api/src').flatMap((file) =>
      chaincodeImportsBesidesPublic(file).map((t) => `${path.relative(REPO_ROOT, file)} → ${path.relative(REPO_ROOT, t)}`),
    );
    expect(offences).to.deep.equal([]);
  });

  it('no transaction name is spelled outside the catalogue (gateway, tests, benchmarks); test and bench contracts name theirs once, next to them', () => {
    const contracts = new Set([...allTransactions().map((d) => d.contract), 'Probe', 'Bench', 'BlacklistBench']);
    const declaredNextToContract = new Set(['scripts/bench/bench-contract.ts', 'scripts/bench/blacklist-bench-contract.ts']);
    const offences = ['gateway-api/src', 'test', 'scripts']
      .flatMap((dir) => sourceFiles(dir, ['.ts']))
      .filter((file) => !declaredNextToContract.has(path.relative(REPO_ROOT, file)) && !file.endsWith('boundaries.test.ts'))
      .flatMap((file) => transactionNameLiterals(file, contracts).map((literal) => `${path.relative(REPO_ROOT, file)}: ${literal}`));
    expect(offences).to.deep.equal([]);
  });

  it('the checks see what they look for (not blind)', () => {
    const contracts = new Set(['Market']);
    expect(transactionNameLiterals(path.join(REPO_ROOT, 'test/architecture/boundaries.test.ts'), contracts)).to.include("'Market:PlaceOrder'");
    expect(chaincodeImportsBesidesPublic(path.join(REPO_ROOT, 'test/architecture/catalogue.test.ts')).length).to.be.greaterThan(0);
  });
});
