import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import tls from 'node:tls';
import { expect } from 'chai';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { openFabric } from '../../gateway-api/src/ledger/fabric/open-fabric';
import { removeDir, runId } from './fabric-fixture';
import { ROOT } from './peer-state';

const NETWORK_FILE = path.resolve(process.env.FABRIC_NETWORK ?? 'network/run/network.json');
const RUN = path.dirname(NETWORK_FILE);

interface HostCounty {
  key: string;
  mspId: string;
  address: string;
  netns: string;
  hostLink: string;
  peer: { endpoint: string; tlsRootCert: string };
  orderer: { endpoint: string; tlsRootCert: string };
}
const network = JSON.parse(readFileSync(NETWORK_FILE, 'utf8')) as { layout?: string; bridge?: string; counties: HostCounty[] };

/** The network namespace a process is in ("net:[inode]"), or undefined when it is gone. */
function netnsOfPid(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}
/** The same for a named namespace (ip netns add keeps it as a file in /run/netns). */
const netnsOfName = (name: string) => `net:[${statSync(`/run/netns/${name}`).ino}]`;

/** The running processes the network scripts recorded (network/run/pids): node id -> pids. */
function recorded(): Array<{ pid: number; id: string }> {
  return readFileSync(path.join(RUN, 'pids'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [pid, id] = l.split(' ');
      return { pid: Number(pid), id: id as string };
    })
    .filter((p) => netnsOfPid(p.pid) !== undefined);
}

/** What a process was handed: its command line, environment and open files, as one text. */
function handed(pid: number): string {
  const read = (f: string) => {
    try {
      return readFileSync(f, 'latin1').replace(/\0/g, '\n');
    } catch {
      return '';
    }
  };
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    });
  } catch {
    fds = [];
  }
  const env = read(`/proc/${pid}/environ`);
  // configuration files named in its environment (core.yaml's folder, a node's .env), read too
  const configs = env
    .split('\n')
    .map((l) => l.slice(l.indexOf('=') + 1))
    .flatMap((v) => (v.startsWith('/') && existsSync(v) && statSync(v).isDirectory() ? [path.join(v, 'core.yaml'), path.join(v, 'orderer.yaml')] : [v]))
    .filter((f) => /\.(ya?ml|json|env)$/.test(f) && existsSync(f) && statSync(f).isFile() && statSync(f).size < 1_000_000)
    .map(read);
  return [read(`/proc/${pid}/cmdline`), env, ...fds, ...configs].join('\n');
}

/**
 * The hosts layout (npm run network:up -- --hosts; test:fabric's default where namespaces can be
 * made): each county's peer, orderer, chaincode and gateway in its own network namespace with its own
 * address, linked to a bridge; each county's processes hold only its own keys.
 */
describe('on Fabric: one host per county (network namespaces)', function () {
  this.timeout(180_000);
  before(function () {
    if (network.layout !== 'hosts') this.skip(); // loopback layout: nothing of this exists
  });

  it('network.json names each county’s namespace and host link; the nodes and the chaincode run in their county’s namespace, at its address', () => {
    const root = netnsOfPid(process.pid);
    const seen = new Set<string>();
    const procs = recorded();
    for (const c of network.counties) {
      expect(c.netns, `${c.key} netns`).to.be.a('string');
      expect(c.hostLink.length, `${c.key} hostLink`).to.be.at.most(15);
      // the host side of the county's link hangs on the bridge in the root namespace
      expect(path.basename(realpathSync(`/sys/class/net/${c.hostLink}/master`))).to.equal(network.bridge);
      const ns = netnsOfName(c.netns);
      expect(ns).to.not.equal(root);
      expect(seen.has(ns), 'one namespace per county').to.equal(false);
      seen.add(ns);
      expect(c.peer.endpoint.startsWith(`${c.address}:`) && c.orderer.endpoint.startsWith(`${c.address}:`), `${c.key} endpoints`).to.equal(true);
      const addresses = execFileSync('ip', ['-n', c.netns, '-4', '-o', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf8' });
      expect(addresses).to.include(`inet ${c.address}/`);
      const own = procs.filter((p) => p.id === `${c.key}-peer` || p.id === `${c.key}-orderer` || p.id.startsWith(`chaincode:${c.mspId}:`));
      expect(own.map((p) => p.id.split(':')[0]).sort(), `${c.key}'s processes`).to.include.members([`${c.key}-orderer`, `${c.key}-peer`, 'chaincode']);
      for (const p of own) expect(netnsOfPid(p.pid), `${p.id} (pid ${p.pid})`).to.equal(ns);
      // no way out: a namespace has no default route
      expect(execFileSync('ip', ['-n', c.netns, 'route', 'show', 'default'], { encoding: 'utf8' }).trim()).to.equal('');
    }
  });

  it('the peers’ and orderers’ TLS certificates carry their host addresses (verified against the county’s TLS root, no name override)', async () => {
    for (const c of network.counties) {
      for (const node of [c.peer, c.orderer]) {
        const [host, port] = node.endpoint.split(':') as [string, string];
        const san = await new Promise<string>((resolve, reject) => {
          const s = tls.connect({ host, port: Number(port), ca: readFileSync(node.tlsRootCert), ALPNProtocols: ['h2'] }, () => {
            const alt = s.getPeerCertificate().subjectaltname ?? '';
            s.end();
            resolve(alt);
          });
          s.on('error', reject);
        });
        expect(san, node.endpoint).to.include(`IP Address:${c.address}`);
      }
    }
  });

  it('no process in a county’s namespace is handed another county’s private key path (arguments, environment, open files, configuration)', () => {
    for (const c of network.counties) {
      const pids = execFileSync('ip', ['netns', 'pids', c.netns], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
      expect(pids.length, `processes in ${c.netns}`).to.be.at.least(3);
      const texts = pids.map(handed);
      // the check sees key paths: the county's own are there
      expect(texts.join('\n'), `${c.key}'s own folder`).to.include(path.join(RUN, 'counties', c.key) + path.sep);
      for (const o of network.counties.filter((x) => x.key !== c.key)) {
        const theirs = path.join(RUN, 'counties', o.key) + path.sep;
        texts.forEach((t, i) => expect(t.includes(theirs), `pid ${pids[i]} in ${c.netns} names ${theirs}`).to.equal(false));
        // nor their domain's crypto material under another path
        texts.forEach((t, i) => expect(/_sk|\.key/.test(t) && t.includes(`${o.key}.countyledger.local/`), `pid ${pids[i]} in ${c.netns}`).to.equal(false));
      }
    }
  });

  it('a county’s real gateway (main.js, LEDGER=fabric) runs inside its namespace and serves its members over HTTP', async function () {
    const c = network.counties.find((x) => x.mspId === 'LiangdangMSP') as HostCounty;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cl-hosts-gw-'));
    const env = { ...process.env, LEDGER: 'fabric', FABRIC_NETWORK: NETWORK_FILE, FABRIC_MSP_ID: c.mspId, DATA_DIR: dataDir, DEMO: '0' };
    // the county's admin and an API key for it, in the gateway's data folder
    const opened = await openFabric(dataDir, env);
    await opened.wallet.issue(c.mspId, 'admin', 'admin');
    await opened.ledger.close();
    const { apiKey } = await (await ApiKeyStore.open(path.join(dataDir, 'api-keys.json'))).create(c.mspId, 'admin');
    // `ip netns exec` execs node in place: the child's pid is the gateway's
    const child = spawn('ip', ['netns', 'exec', c.netns, process.execPath, 'dist/gateway-api/src/main.js'], {
      cwd: ROOT,
      env: { ...env, HOST: c.address, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the gateway did not start: ${out}`)), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /County Ledger API on (https?:\/\/[^\s]+:\d+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        void exited.then((code) => reject(new Error(`the gateway exited (${code}) before listening: ${out}`)));
      });
      expect(base).to.equal(`http://${c.address}:${new URL(base).port}`);
      expect(netnsOfPid(child.pid as number), 'the gateway runs in the county namespace').to.equal(netnsOfName(c.netns));
      // from the root namespace, over the bridge
      const health = await fetch(`${base}/health`);
      expect(health.status, await health.text()).to.equal(200);
      const member = `hosts-${runId}`;
      const granted = await fetch(`${base}/api/v1/members/${c.mspId}:${member}/roles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'auditor' }),
      });
      expect(granted.status, await granted.clone().text()).to.equal(201);
      const got = await fetch(`${base}/api/v1/members/${c.mspId}:${member}`, { headers: { authorization: `Bearer ${apiKey}` } });
      expect(got.status).to.equal(200);
      expect(((await got.json()) as { roles: string[] }).roles).to.deep.equal(['auditor']);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20_000))]);
      if (!stopped) child.kill('SIGKILL');
      removeDir(dataDir);
    }
  });

  it('network:up --hosts that fails part-way removes the namespaces, links and bridge it made, and stops what it started', function () {
    // a one-county network of its own (own run folder, bridge and addresses), made to fail once its
    // namespace exists and its orderer runs: no start-up time allowed
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-hosts-fail-'));
    const cfg = JSON.parse(readFileSync(path.join(ROOT, 'network', 'counties.json'), 'utf8')) as {
      hosts: { bridge: string; bridgeAddress: string };
      counties: object[];
    };
    const first = cfg.counties[0] as { orderer: object };
    const county = {
      ...first,
      key: 'zfail',
      name: 'Zfail',
      mspId: 'ZfailMSP',
      domain: 'zfail.countyledger.local',
      hostAddress: '10.77.9.11',
      orderer: { ...first.orderer, mspId: 'ZfailOrdererMSP', domain: 'orderer.zfail.countyledger.local' },
    };
    writeFileSync(
      path.join(dir, 'counties.json'),
      JSON.stringify({ ...cfg, hosts: { bridge: 'clbrfail', bridgeAddress: '10.77.9.1/24' }, counties: [county] }),
    );
    try {
      const run = spawnSync('bash', [path.join(ROOT, 'scripts/network/up.sh'), '--hosts'], {
        env: { ...process.env, NETWORK_CONFIG: path.join(dir, 'counties.json'), NETWORK_RUN_DIR: path.join(dir, 'run'), NETWORK_START_TIMEOUT: '0' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      const said = `${run.stdout}\n${run.stderr}`;
      expect(run.status, said).to.not.equal(0);
      expect(said, 'it got as far as the namespace and the orderer').to.match(/host of zfail: namespace cl-zfail[\s\S]*started zfail-orderer/);
      expect(said).to.include('removed network namespace cl-zfail');
      expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).to.not.match(/^cl-zfail\b/m);
      expect(existsSync('/sys/class/net/cl-zfail'), 'link cl-zfail').to.equal(false);
      expect(existsSync('/sys/class/net/clbrfail'), 'bridge clbrfail').to.equal(false);
      const orderer = /started zfail-orderer \(pid (\d+)/.exec(said)?.[1];
      expect(orderer && netnsOfPid(Number(orderer)), 'the orderer was stopped').to.equal(undefined);
    } finally {
      removeDir(dir);
    }
  });
});

describe('on Fabric: where network namespaces cannot be made, --hosts comes up in loopback and says why', function () {
  this.timeout(60_000);

  it('up.sh --hosts in a user namespace (root there, no right to make network namespaces): a warning, the loopback layout', async function () {
    if (process.getuid?.() !== 0) this.skip(); // needs unshare as root; a non-root run is in loopback already
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-hosts-none-'));
    // a port taken on purpose stops up.sh right after it chose its layout and rendered the configuration
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const cfg = JSON.parse(readFileSync(path.join(ROOT, 'network', 'counties.json'), 'utf8')) as { counties: Array<{ orderer: { port: number } }> };
      (cfg.counties[0] as { orderer: { port: number } }).orderer.port = port;
      writeFileSync(path.join(dir, 'counties.json'), JSON.stringify(cfg));
      const run = spawnSync('unshare', ['--user', '--map-root-user', 'bash', path.join(ROOT, 'scripts/network/up.sh'), '--hosts'], {
        env: { ...process.env, NETWORK_CONFIG: path.join(dir, 'counties.json'), NETWORK_RUN_DIR: path.join(dir, 'run') },
        encoding: 'utf8',
        timeout: 50_000,
      });
      const said = `${run.stdout}\n${run.stderr}`;
      expect(said).to.include(
        "WARNING: the hosts layout (one network namespace per county) is not available: 'ip netns add' does not work here; starting the loopback layout instead",
      );
      expect(said).to.include('(loopback layout)');
      expect(said).to.include(`port 127.0.0.1:${port}`);
      expect(run.status).to.not.equal(0);
    } finally {
      taken.close();
      removeDir(dir);
    }
  });
});
