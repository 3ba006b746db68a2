import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openFabric } from '../../gateway-api/src/ledger/fabric/open-fabric';
import { removeDir } from './fabric-fixture';

const NETWORK_FILE = path.resolve(process.env.FABRIC_NETWORK ?? 'network/run/network.json');
const RUN = path.dirname(NETWORK_FILE);
const HUIXIAN = 'HuixianMSP';

interface RunCounty {
  key: string;
  mspId: string;
}
const network = JSON.parse(readFileSync(NETWORK_FILE, 'utf8')) as { counties: RunCounty[] };
const countyDir = (key: string) => path.join(RUN, 'counties', key);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}
const privateKeysOf = (key: string) => filesUnder(countyDir(key)).filter((f) => /_sk$|\.key$/.test(f) || /PRIVATE KEY/.test(readFileSync(f, 'utf8')));

/**
 * Runs the real gateway (dist main.js, LEDGER=fabric) for one county under strace, asks it for its
 * health (a ledger read on its peer), stops it, and returns every path it opened (open/openat of any
 * thread or child), resolved against its working directory.
 */
async function filesOpenedByGateway(mspId: string, dataDir: string): Promise<string[]> {
  const trace = path.join(dataDir, 'strace.txt');
  const cwd = process.cwd();
  const child = spawn('strace', ['-f', '-qq', '-e', 'trace=open,openat,openat2', '-o', trace, process.execPath, 'dist/gateway-api/src/main.js'], {
    cwd,
    env: { ...process.env, LEDGER: 'fabric', FABRIC_NETWORK: NETWORK_FILE, FABRIC_MSP_ID: mspId, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start: ${out}\n${err}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /County Ledger API on https?:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then((code) => reject(new Error(`the gateway exited (${code}) before listening: ${out}\n${err}`)));
  });
  const health = await fetch(`http://127.0.0.1:${port}/health`);
  expect(health.status, await health.text()).to.equal(200);
  // stop the gateway itself (strace's child; a signal to strace does not always reach it), by its pid
  const gatewayPid = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
  expect(gatewayPid, 'the gateway process under strace').to.be.greaterThan(0);
  process.kill(gatewayPid, 'SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20_000))]);
  if (!stopped) {
    process.kill(gatewayPid, 'SIGKILL');
    child.kill('SIGKILL');
  }
  const opened: string[] = [];
  for (const line of readFileSync(trace, 'utf8').split('\n')) {
    const m = /open(?:at2?)?\((?:AT_FDCWD, |\d+<[^>]*>, )?"((?:[^"\\]|\\.)*)"/.exec(line);
    if (m?.[1]) opened.push(path.resolve(cwd, m[1]));
  }
  return opened;
}

/** A copy of the run's network description and one county's folder, to hand a gateway the wrong things. */
function copyOfRun(): { networkFile: string; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-custody-run-'));
  const networkFile = path.join(dir, 'network.json');
  cpSync(NETWORK_FILE, networkFile);
  mkdirSync(path.join(dir, 'counties'));
  for (const c of network.counties) {
    mkdirSync(path.join(dir, 'counties', c.key));
    cpSync(path.join(countyDir(c.key), 'county.json'), path.join(dir, 'counties', c.key, 'county.json'));
  }
  return { networkFile, dir };
}

describe('on Fabric: each county’s keys in its own hands', function () {
  this.timeout(120_000);
  const others = network.counties.filter((c) => c.mspId !== HUIXIAN);
  const huixian = network.counties.find((c) => c.mspId === HUIXIAN)!;

  it('network:up made each county’s crypto in its own folder; the channel configuration and network.json name no private key', () => {
    for (const c of network.counties) expect(privateKeysOf(c.key).length, `${c.key}'s private keys`).to.be.greaterThan(4);
    // what the counties publish holds no key
    for (const f of filesUnder(path.join(RUN, 'public'))) expect(readFileSync(f, 'utf8'), f).not.to.match(/PRIVATE KEY/);
    const configtx = readFileSync(path.join(RUN, 'config', 'configtx.yaml'), 'utf8');
    const networkJson = readFileSync(NETWORK_FILE, 'utf8');
    for (const text of [configtx, networkJson]) {
      expect(text).not.to.include(`${path.sep}counties${path.sep}`);
      expect(text).not.to.match(/keyDir|_sk|\.key"/);
    }
    // and no county's folder holds another county's key material
    for (const c of network.counties) {
      const otherDomains = network.counties.filter((o) => o.key !== c.key).map((o) => `${o.key}.countyledger.local`);
      for (const f of filesUnder(countyDir(c.key))) for (const d of otherDomains) expect(f, `${f} in ${c.key}'s folder`).not.to.include(d);
    }
  });

  it('Huixian’s gateway (the real process, under strace) opens its own CA key and no other county’s file at all', async function () {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cl-custody-'));
    try {
      const opened = await filesOpenedByGateway(HUIXIAN, dataDir);
      // the trace sees what the gateway reads: its own CA key and its network description
      const ownKeys = privateKeysOf(huixian.key);
      expect(opened.filter((f) => ownKeys.includes(f)).length, 'own CA key opened (the trace works)').to.be.greaterThan(0);
      expect(opened).to.include(NETWORK_FILE);
      for (const o of others) {
        const theirKeys = privateKeysOf(o.key);
        expect(
          opened.filter((f) => theirKeys.includes(f)),
          `${o.mspId}'s private keys opened`,
        ).to.deep.equal([]);
        expect(
          opened.filter((f) => f.startsWith(countyDir(o.key) + path.sep)),
          `files in ${o.mspId}'s own folder opened`,
        ).to.deep.equal([]);
      }
      // its wallet holds Huixian's identities only
      expect(readdirSync(path.join(dataDir, 'wallet-fabric'))).to.deep.equal([HUIXIAN]);
    } finally {
      removeDir(dataDir);
    }
  });

  it('a gateway handed another county’s CA key refuses to start, naming the file', async () => {
    const { networkFile, dir } = copyOfRun();
    try {
      const liangdang = others[0]!;
      const custodyFile = path.join(dir, 'counties', huixian.key, 'county.json');
      const custody = JSON.parse(readFileSync(custodyFile, 'utf8'));
      const theirs = JSON.parse(readFileSync(path.join(countyDir(liangdang.key), 'county.json'), 'utf8'));
      writeFileSync(custodyFile, JSON.stringify({ ...custody, ca: { ...custody.ca, keyDir: theirs.ca.keyDir } }));
      const keyFile = path.join(
        theirs.ca.keyDir,
        readdirSync(theirs.ca.keyDir).find((f) => f.endsWith('_sk'))!,
      );
      const dataDir = path.join(dir, 'data');
      const refused = await openFabric(dataDir, { ...process.env, FABRIC_NETWORK: networkFile, FABRIC_MSP_ID: HUIXIAN }).then(
        () => undefined,
        (err: Error) => err.message,
      );
      expect(refused).to.include(keyFile).and.include(`CA private key of ${liangdang.mspId}`);
      expect(existsSync(path.join(dataDir, 'wallet-fabric')), 'nothing written').to.equal(false);
    } finally {
      removeDir(dir);
    }
  });

  it('a network description that hands out another county’s key folder is refused, naming the file', async () => {
    const { networkFile, dir } = copyOfRun();
    try {
      const described = JSON.parse(readFileSync(networkFile, 'utf8'));
      const liangdang = others[0]!;
      const theirs = JSON.parse(readFileSync(path.join(countyDir(liangdang.key), 'county.json'), 'utf8'));
      for (const c of described.counties) if (c.mspId === liangdang.mspId) c.ca = theirs.ca; // the old layout: every county's keyDir
      writeFileSync(networkFile, JSON.stringify(described));
      const dataDir = path.join(dir, 'data');
      const refused = await openFabric(dataDir, { ...process.env, FABRIC_NETWORK: networkFile, FABRIC_MSP_ID: HUIXIAN }).then(
        () => undefined,
        (err: Error) => err.message,
      );
      expect(refused).to.include(networkFile).and.include(`private key paths of ${liangdang.mspId}`);
      expect(existsSync(path.join(dataDir, 'wallet-fabric')), 'nothing written').to.equal(false);
    } finally {
      removeDir(dir);
    }
  });

  it('a wallet that holds another county’s member key is refused, naming the file', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cl-custody-'));
    try {
      // Liangdang's gateway issues a member; that wallet's identities file is then given to Huixian's
      const ld = await openFabric(dataDir, { ...process.env, FABRIC_MSP_ID: others[0]!.mspId });
      await ld.ledger.close();
      const hxWallet = path.join(dataDir, 'wallet-fabric', HUIXIAN);
      mkdirSync(hxWallet, { recursive: true });
      const foreign = path.join(dataDir, 'wallet-fabric', others[0]!.mspId, 'identities.json');
      cpSync(foreign, path.join(hxWallet, 'identities.json'));
      const refused = await openFabric(dataDir, { ...process.env, FABRIC_MSP_ID: HUIXIAN }).then(
        () => undefined,
        (err: Error) => err.message,
      );
      expect(refused).to.include(path.join(hxWallet, 'identities.json')).and.include(`of ${others[0]!.mspId}`);
      expect(readdirSync(hxWallet), 'nothing written').to.deep.equal(['identities.json']);
      // and a CA file of another county in the wallet likewise
      const ca = JSON.parse(readFileSync(path.join(dataDir, 'wallet-fabric', others[0]!.mspId, `${others[0]!.mspId}.ca.json`), 'utf8'));
      writeFileSync(path.join(hxWallet, 'identities.json'), '[]');
      writeFileSync(path.join(hxWallet, `${others[0]!.mspId}.ca.json`), JSON.stringify(ca));
      const refusedCa = await openFabric(dataDir, { ...process.env, FABRIC_MSP_ID: HUIXIAN }).then(
        () => undefined,
        (err: Error) => err.message,
      );
      expect(refusedCa)
        .to.include(path.join(hxWallet, `${others[0]!.mspId}.ca.json`))
        .and.include(`CA private key of ${others[0]!.mspId}`);
      expect(readdirSync(hxWallet).sort(), 'nothing written').to.deep.equal([`${others[0]!.mspId}.ca.json`, 'identities.json']);
    } finally {
      removeDir(dataDir);
    }
  });
});
