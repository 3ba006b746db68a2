import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../architecture/source-imports';
import { COSTS, floorFigures, floorRate, floorShare, measureProbe, normalised } from '../../scripts/bench/probe';

describe('benchmarks: the machine probe, the normalised figure and the crypto floor', () => {
  const probe = { signUs: 20, verifyUs: 50, loadavg: [1, 1, 1] as const };

  it('the floor is two cores over the signing and verifying time of one operation', () => {
    // 3 signatures × 20 µs + 2 verifications × 50 µs = 160 µs of one core: 2 / 160 µs = 12,500/s.
    expect(floorRate({ signs: 3, verifies: 2, why: '' }, probe)).to.be.closeTo(12_500, 1e-6);
    expect(floorRate({ signs: 3, verifies: 2, why: '' }, probe, 1)).to.be.closeTo(6_250, 1e-6);
    expect(floorShare(6_250, { signs: 3, verifies: 2, why: '' }, probe)).to.be.closeTo(0.5, 1e-12);
  });

  it('an operation without signature or verification has no floor (evaluate)', () => {
    expect(floorRate(COSTS.evaluate, probe)).to.equal(Infinity);
    expect(floorShare(10_000, COSTS.evaluate, probe)).to.equal(0);
    expect(floorFigures(10_000, COSTS.evaluate, probe)).to.deep.equal({ normalised: '0.200', floor: '-', share: '-' });
  });

  it('normalised = ops/s × seconds per signature', () => {
    expect(normalised(5_000, probe)).to.be.closeTo(0.1, 1e-12);
    expect(normalised(5_000, { signUs: 40 })).to.be.closeTo(0.2, 1e-12);
  });

  it('an embedded submit costs creator + two endorsement signatures and its share of the block signature; nothing verified', () => {
    const cost = COSTS.embeddedSubmit(50);
    expect(cost.signs).to.be.closeTo(3.02, 1e-12);
    expect(cost.verifies).to.equal(0);
    // 3.02 × 20 µs = 60.4 µs: 2 cores → 33,113/s.
    expect(floorFigures(16_556, cost, probe)).to.deep.equal({ normalised: '0.331', floor: '33113', share: '50.0%' });
    // Never fewer than one transaction per block.
    expect(COSTS.embeddedSubmit(0).signs).to.equal(4);
  });

  it('a Fabric submit and the audit of a transaction count the verifications the peers and the auditor make', () => {
    expect(COSTS.fabricSubmit(10)).to.include({ signs: 4.1, verifies: 12.3 });
    expect(COSTS.audit(4)).to.include({ signs: 0, verifies: 3.25 });
    expect(COSTS.fabricEvaluate).to.include({ signs: 2, verifies: 1 });
  });

  it('the probe measures this machine: positive times, verification slower than signing on P-256, the load average', () => {
    const p = measureProbe(50);
    expect(p.signUs).to.be.greaterThan(0);
    expect(p.verifyUs).to.be.greaterThan(p.signUs);
    expect(p.loadavg).to.have.length(3);
  });

  it('every benchmark script compiles (scripts/bench is in tsconfig) and every npm bench script runs a compiled file', () => {
    const sources = readdirSync(path.join(REPO_ROOT, 'scripts/bench')).filter((f) => f.endsWith('.ts'));
    expect(sources).to.include.members(['probe.ts', 'embedded.ts', 'domain.ts', 'scale.ts']);
    const missing = sources.map((f) => `dist/scripts/bench/${f.replace(/\.ts$/, '.js')}`).filter((f) => !existsSync(path.join(REPO_ROOT, f)));
    expect(missing).to.deep.equal([]);
    const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const bench = Object.entries(scripts).filter(([name]) => name === 'bench' || name.startsWith('bench:'));
    expect(bench.map(([name]) => name)).to.include.members(['bench', 'bench:domain', 'bench:scale']);
    for (const [name, command] of bench) {
      const target = /node (?:--[\w-]+(?:=\S+)? )*(dist\/scripts\/bench\/[\w-]+\.js)/.exec(command)?.[1];
      expect(target, `${name} runs a compiled bench script`).to.be.a('string');
      expect(existsSync(path.join(REPO_ROOT, target as string)), `${name}: ${target}`).to.equal(true);
    }
  });
});
