import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../architecture/source-imports';

const DIST = path.join(__dirname, '../..');

/** Runs a script in a fresh node that loads what a gateway thread loads (contracts, app, embedded ledger) first. */
function gatewayThreadRunning(script: string): { status: number | null; stdout: string; stderr: string } {
  const load = ['gateway-api/src/quiet-logs', 'gateway-api/src/fail-fast', 'gateway-api/src/app', 'gateway-api/src/ledger/embedded/embedded-ledger']
    .map((m) => `require(${JSON.stringify(path.join(DIST, m))});`)
    .join('\n');
  const r = spawnSync(process.execPath, ['-e', `${load}\n${script}`], { encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('gateway: a thread that meets an uncaught failure stops (fail-fast.ts)', function () {
  this.timeout(30000);

  it('an uncaught exception ends the process with exit code 1 and its stack, as Node does by default', () => {
    const r = gatewayThreadRunning(`setTimeout(() => { throw new Error('boom in a timer'); }, 10);
      setTimeout(() => console.log('still serving'), 500);`);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.contain('boom in a timer');
    expect(r.stdout).not.to.contain('still serving');
  });

  it('an unhandled rejection ends it too', () => {
    const r = gatewayThreadRunning(`setTimeout(() => { void Promise.reject(new Error('rejected, nobody listening')); }, 10);
      setTimeout(() => console.log('still serving'), 500);`);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.contain('rejected, nobody listening');
    expect(r.stdout).not.to.contain('still serving');
  });

  it("without it the contracts' libraries log the exception and the process goes on (what it undoes)", () => {
    const script = `
      require(${JSON.stringify(path.join(DIST, 'gateway-api/src/quiet-logs'))});
      require(${JSON.stringify(path.join(DIST, 'gateway-api/src/app'))});
      setTimeout(() => { throw new Error('boom in a timer'); }, 10);
      setTimeout(() => console.log('still serving'), 500);`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20000 });
    expect(r.stdout).to.contain('still serving');
    expect(r.status).to.equal(0);
  });

  it('the gateway and its HTTP worker load it right after quiet-logs.ts, before anything else', () => {
    for (const entry of ['gateway-api/src/main.ts', 'gateway-api/src/http-worker.ts']) {
      const imports = readFileSync(path.join(REPO_ROOT, entry), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('import '));
      expect(imports.slice(0, 2), entry).to.deep.equal(["import './quiet-logs';", "import './fail-fast';"]);
    }
  });
});
