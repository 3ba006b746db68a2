import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const SERVER = path.join(__dirname, '..', '..', 'network', 'chaincode-server', 'main.js');
const CHAINCODE = path.join(__dirname, '..', '..', 'chaincode', 'src');

/** Loads the Fabric entry in a fresh process, as fabric-shim's server does, and logs one line at each level through fabric-shim's handler logger. */
function logThroughServer(env: Record<string, string | undefined>): { status: number | null; out: string } {
  const script = `
    const entry = require(${JSON.stringify(SERVER)});
    const index = require(${JSON.stringify(path.join(CHAINCODE, 'index.js'))});
    if (entry.contracts !== index.contracts || entry.contracts.length === 0) throw new Error('the entry does not export the contracts');
    const log = require(require.resolve('fabric-shim/lib/logger', { paths: [${JSON.stringify(CHAINCODE)}] })).getLogger('lib/handler.js');
    for (const level of ['error', 'warn', 'info', 'debug']) log[level]('line-at-' + level);
    // Several arguments go through log(level, …), as fabric-shim's own "lost connection" line does; winston's exception handler calls log(info).
    log.error('multi-arg-error', { detail: 1 });
    log.info('multi-arg-info', { detail: 1 });
    log.log('error', 'log-at-error');
    log.log({ level: 'error', message: 'info-object-at-error' });
    log.log('debug', 'log-at-debug');
    setTimeout(() => process.exit(0), 50);`;
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: childEnv as NodeJS.ProcessEnv });
  return { status: child.status, out: `${child.stdout}${child.stderr}` };
}

describe('chaincode: the entry fabric-shim loads on Fabric (network/chaincode-server/main.ts)', function () {
  this.timeout(30_000);

  it('the public surface loads no fabric-shim (its logger would take over uncaught exceptions in the gateway as well)', () => {
    const publicSurface = path.join(CHAINCODE, 'public.js');
    // The contracts themselves load fabric-contract-api, whose logger already does: counted from there.
    const script = `
      require(${JSON.stringify(path.join(CHAINCODE, 'index.js'))});
      const before = process.listeners('unhandledRejection').length;
      require(${JSON.stringify(publicSurface)});
      const shim = Object.keys(require.cache).filter((k) => k.includes('/fabric-shim/') && !k.endsWith('package.json'));
      console.log(JSON.stringify({ shim: shim.length, added: process.listeners('unhandledRejection').length - before }));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.status, child.stderr).to.equal(0);
    expect(JSON.parse(child.stdout.trim().split('\n').pop() as string)).to.deep.equal({ shim: 0, added: 0 });
  });

  it('exports the contracts, and keeps warnings and errors while dropping the lines below (the peer asks for nothing or WARNING)', () => {
    for (const level of [undefined, 'WARNING']) {
      const { status, out } = logThroughServer({ CORE_CHAINCODE_LOGGING_LEVEL: level });
      expect(status, out).to.equal(0);
      expect(out, String(level)).to.include('line-at-error').and.include('line-at-warn');
      expect(out, String(level)).to.include('multi-arg-error').and.include('log-at-error').and.include('info-object-at-error');
      for (const dropped of ['line-at-info', 'line-at-debug', 'multi-arg-info', 'log-at-debug'])
        expect(out, `${String(level)}: ${dropped}`).to.not.include(dropped);
    }
  });

  it('a logger handed out again is not wrapped again (fabric-shim hands loggers out per transaction)', () => {
    const script = `
      require(${JSON.stringify(SERVER)});
      const shimLogger = require(require.resolve('fabric-shim/lib/logger', { paths: [${JSON.stringify(CHAINCODE)}] }));
      const first = shimLogger.getLogger('County:contract').log;
      for (let i = 0; i < 100; i++) shimLogger.getLogger('County:contract');
      console.log(JSON.stringify({ same: shimLogger.getLogger('County:contract').log === first }));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.status, child.stderr).to.equal(0);
    expect(JSON.parse(child.stdout.trim().split('\n').pop() as string)).to.deep.equal({ same: true });
  });

  it('keeps only errors at ERROR and at CRITICAL, and every line fabric-shim would log at DEBUG', () => {
    for (const level of ['ERROR', 'CRITICAL']) {
      const errorsOnly = logThroughServer({ CORE_CHAINCODE_LOGGING_LEVEL: level });
      expect(errorsOnly.out, level).to.include('line-at-error').and.include('multi-arg-error');
      expect(errorsOnly.out, level).to.not.include('line-at-warn');
    }
    const debug = logThroughServer({ CORE_CHAINCODE_LOGGING_LEVEL: 'DEBUG' });
    for (const level of ['error', 'warn', 'info', 'debug']) expect(debug.out, level).to.include(`line-at-${level}`);
  });
});
