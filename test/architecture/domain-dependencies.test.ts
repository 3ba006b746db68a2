import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const CHAINCODE = path.resolve(__dirname, '../../../chaincode/src');

/**
 * The chaincode's domains and the domains each may import, lowest first: the order drawn in
 * chaincode/README.md ("Domains"). A domain imports only domains listed before it.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  kernel: [],
  membership: ['kernel'],
  counties: ['kernel', 'membership'],
  evidence: ['kernel', 'membership'],
  subjects: ['kernel', 'membership', 'counties'],
  parameters: ['kernel', 'membership', 'counties'],
  credit: ['kernel', 'membership', 'counties', 'subjects', 'parameters'],
  ip: ['kernel', 'membership', 'counties', 'subjects', 'credit'],
  tax: ['kernel', 'membership', 'counties'],
  market: ['kernel', 'membership', 'evidence', 'subjects', 'parameters', 'credit', 'ip', 'tax'],
  fund: ['kernel', 'membership', 'counties', 'credit', 'market'],
};

function sourcesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourcesOf(full) : name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative import specifiers of a TypeScript file (static imports and re-exports). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?from '(\.[^']+)'/gms)].map((m) => m[1] as string);
}

/** The domain a chaincode source file belongs to, or undefined for files at the top (index, public surface). */
function domainOf(file: string): string | undefined {
  const rel = path.relative(CHAINCODE, file).split(path.sep);
  return rel.length > 1 ? rel[0] : undefined;
}

describe('architecture: chaincode domains form the declared order', () => {
  it('every domain folder is declared, and every declared domain exists', () => {
    const folders = readdirSync(CHAINCODE).filter((n) => statSync(path.join(CHAINCODE, n)).isDirectory());
    expect([...folders].sort()).to.deep.equal(Object.keys(ALLOWED).sort());
  });

  it('the declared order has no loop: each domain may import only domains declared before it', () => {
    const names = Object.keys(ALLOWED);
    names.forEach((name, i) => {
      for (const dep of ALLOWED[name] ?? []) expect(names.indexOf(dep), `${name} → ${dep}`).to.be.within(0, i - 1);
    });
  });

  it('no chaincode file imports a domain its own domain may not import', () => {
    const offences: string[] = [];
    for (const file of sourcesOf(CHAINCODE)) {
      const from = domainOf(file);
      if (from === undefined) continue;
      for (const spec of importsOf(file)) {
        const to = domainOf(path.resolve(path.dirname(file), spec));
        if (to === undefined && !path.resolve(path.dirname(file), spec).startsWith(CHAINCODE))
          offences.push(`${path.relative(CHAINCODE, file)} imports ${spec} outside the chaincode`);
        else if (to === undefined) offences.push(`${path.relative(CHAINCODE, file)} imports the top-level module ${spec}`);
        else if (to !== from && !(ALLOWED[from] ?? []).includes(to)) offences.push(`${path.relative(CHAINCODE, file)} (${from}) imports ${spec} (${to})`);
      }
    }
    expect(offences).to.deep.equal([]);
  });

  it('the check sees a forbidden import (the checker is not blind)', () => {
    // market → fund is against the order; the import parser must find such a line.
    const specs = [...`import { Round } from '../fund/records';`.matchAll(/^(?:import|export)\b[^;]*?from '(\.[^']+)'/gms)].map((m) => m[1]);
    expect(specs).to.deep.equal(['../fund/records']);
    expect(ALLOWED.market).to.not.include('fund');
  });
});
