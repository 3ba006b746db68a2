import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const SERVER = path.join(__dirname, '..', '..', 'chaincode', 'src', 'server.js');

/** Loads the Fabric entry in a fresh process, as fabric-shim's server does, and logs one line at each level through fabric-shim's handler logger. */
function logThroughServer(env: Record<string, string | undefined>): { status: number | null; out: string } {
  const script = `
    const entry = require(${JSON.stringify(SERVER)});
    const index = require(${JSON.stringify(path.join(path.dirname(SERVER), 'index.js'))});
    if (entry.contracts !== index.contracts || entry.contracts.length === 0) throw new Error('the entry does not export the contracts');
    const log = require(require.resolve('fabric-shim/lib/logger', { paths: [${JSON.stringify(path.dirname(SERVER))}] })).getLogger('lib/handler.js');
    for (const level of ['error', 'warn', 'info', 'debug']) log[level]('line-at-' + level);
    setTimeout(() => process.exit(0), 50);`;
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: childEnv as NodeJS.ProcessEnv });
  return { status: child.status, out: `${child.stdout}${child.stderr}` };
}

describe('chaincode: the entry fabric-shim loads on Fabric (server.ts)', function () {
  this.timeout(30_000);

  it('exports the contracts, and keeps warnings and errors while dropping the lines below (the peer asks for nothing or WARNING)', () => {
    for (const level of [undefined, 'WARNING']) {
      const { status, out } = logThroughServer({ CORE_CHAINCODE_LOGGING_LEVEL: level });
      expect(status, out).to.equal(0);
      expect(out, String(level)).to.include('line-at-error').and.include('line-at-warn');
      expect(out, String(level)).to.not.include('line-at-info');
      expect(out, String(level)).to.not.include('line-at-debug');
    }
  });

  it('keeps only errors at ERROR, and every line fabric-shim would log at DEBUG', () => {
    const errorsOnly = logThroughServer({ CORE_CHAINCODE_LOGGING_LEVEL: 'ERROR' });
    expect(errorsOnly.out).to.include('line-at-error');
    expect(errorsOnly.out).to.not.include('line-at-warn');
    const debug = logThroughServer({ CORE_CHAINCODE_LOGGING_LEVEL: 'DEBUG' });
    for (const level of ['error', 'warn', 'info', 'debug']) expect(debug.out, level).to.include(`line-at-${level}`);
  });
});
