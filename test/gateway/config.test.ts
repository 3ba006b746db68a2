import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import {
  chaincodeLogLevel,
  CONFIG_VARIABLES,
  ConfigError,
  contractLoadLogLevel,
  Environment,
  fabricSettings,
  flagOf,
  helpText,
  loadConfig,
  SETTINGS,
  wantsHelp,
} from '../../gateway-api/src/config';
import { openAppFixture } from '../support/app-fixture';
import { LIANGDANG } from '../support/ledger-fixture';
import { creditCode } from '../support/market-world';
import { importsOf, REPO_ROOT, sourceFiles } from '../architecture/source-imports';

/** The rows of README.md's "## Configuration" table: the variables of the first column and the flag of the second. */
function readmeConfigurationRows(): Array<{ variables: string[]; flag: string }> {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Configuration\n'));
  expect(section, 'README.md has a "## Configuration" section').to.be.a('string');
  const rows = (section as string).split('\n').filter((l) => l.startsWith('| `'));
  return rows.map((row) => {
    const [variableCell = '', flagCell = ''] = row
      .split('|')
      .slice(1)
      .map((c) => c.trim());
    return {
      variables: [...variableCell.matchAll(/`([A-Z][A-Z0-9_]*)(?:=[^`]*)?`/g)].map((m) => m[1] as string),
      flag: flagCell.replace(/`/g, ''),
    };
  });
}

function refusal(argv: readonly string[], env: Environment): string {
  try {
    loadConfig(argv, env);
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(ConfigError);
    return (err as Error).message;
  }
  return expect.fail(`expected ${JSON.stringify({ argv, env })} to be refused`);
}

describe('gateway configuration (config.ts)', () => {
  it("README.md's Configuration table lists exactly the variables the config knows, each with its flag", () => {
    const rows = readmeConfigurationRows();
    const documented = rows.flatMap((r) => r.variables);
    expect([...documented].sort()).to.deep.equal([...CONFIG_VARIABLES].sort());
    expect(new Set(documented).size, 'each variable once').to.equal(documented.length);
    for (const setting of Object.values(SETTINGS)) {
      const row = rows.find((r) => r.variables.includes(setting.variable));
      expect(row?.flag, setting.variable).to.equal(flagOf(setting) ?? '');
    }
  });

  it('--help prints every setting with its variable, its flag and its default', () => {
    const help = helpText();
    for (const s of Object.values(SETTINGS)) {
      const setting: { variable: string; onOff?: boolean; default?: string; unset?: string } = s;
      const line = help.split('\n').findIndex((l) => l.includes(setting.variable));
      expect(line, setting.variable).to.be.at.least(0);
      const entry = help
        .split('\n')
        .slice(line, line + 2)
        .join('\n');
      const flag = flagOf(s);
      if (flag) expect(entry, setting.variable).to.include(flag);
      const shown =
        setting.default === undefined ? `unset: ${setting.unset}` : `default ${setting.onOff ? (setting.default === '0' ? 'off' : 'on') : setting.default}`;
      expect(entry, setting.variable).to.include(shown);
    }
    expect(wantsHelp(['--port', '1', '--help'])).to.equal(true);
    expect(wantsHelp(['-h'])).to.equal(true);
    expect(wantsHelp(['--port', '1'])).to.equal(false);
  });

  it('has the documented defaults when nothing is given', () => {
    const c = loadConfig([], {});
    expect(c).to.deep.include({
      host: '127.0.0.1',
      port: 3000,
      dataDir: path.resolve('./data'),
      ledger: 'embedded',
      maxEvidenceBytes: 25 * 1024 * 1024,
      demo: true,
      logLevel: 'info',
      httpWorker: true,
      contractLoadLogLevel: 'WARNING',
      fabric: { networkFile: path.resolve('network/run/network.json') },
      publicRateLimit: { burst: 30, perSecond: 1 },
      queryTrail: { anchorEvery: 100, anchorIntervalMs: 60_000 },
      authFailureLimit: { max: 20, windowMs: 60_000 },
      keyRateLimit: { burst: 3000, perSecond: 300 },
      evidenceDiskReserveBytes: 1024 * 1024 * 1024,
      eventStreams: { perKey: 4, total: 256 },
      healthMaxBlockLag: 5,
      publicBaseUrl: 'http://127.0.0.1:3000',
      cjkFont: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
    });
    expect(c).to.not.have.any.keys('subjectHmacKey', 'chaincodeLogLevel', 'tls');
    // Unset, PUBLIC_BASE_URL follows the listen address and scheme (an IPv6 host in brackets).
    expect(loadConfig(['--host', '::1', '--port', '8443', '--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {}).publicBaseUrl).to.equal('https://[::1]:8443');
    // With PORT=0 the port is known only once listening: the app takes the address it listens on.
    expect(loadConfig(['--port', '0'], {})).to.not.have.key('publicBaseUrl');
  });

  it('reads every variable, and a flag wins over its variable', () => {
    const key = 'ab'.repeat(32);
    const env = {
      HOST: '0.0.0.0',
      PORT: '8080',
      DATA_DIR: '/var/lib/county',
      LEDGER: 'fabric',
      MAX_EVIDENCE_BYTES: '1024',
      DEMO: '0',
      LOG_LEVEL: 'warn',
      HTTP_WORKER: '0',
      VERIFY_ON_START: '1',
      SUBJECT_HMAC_KEY: key,
      CHAINCODE_LOG_LEVEL: 'debug',
      CORE_CHAINCODE_LOGGING_LEVEL: 'ERROR',
      FABRIC_NETWORK: '/etc/county/network.json',
      FABRIC_MSP_ID: 'HuixianMSP',
      FABRIC_CHAINCODE: 'cl2',
      FABRIC_FALLBACK_PEERS: ' fengxian, LiangdangMSP ,',
      PUBLIC_RATE_BURST: '5',
      PUBLIC_RATE_PER_SECOND: '0.5',
      BLACKLIST_TRAIL_ANCHOR_EVERY: '7',
      BLACKLIST_TRAIL_ANCHOR_SECONDS: '0',
      TLS_CERT: '/etc/county/tls.crt',
      TLS_KEY: '/etc/county/tls.key',
      TLS_CLIENT_CA: '/etc/county/clients.pem',
      AUTH_FAILURE_LIMIT: '3',
      AUTH_FAILURE_WINDOW_SECONDS: '0.5',
      KEY_RATE_BURST: '10',
      KEY_RATE_PER_SECOND: '2',
      EVIDENCE_DISK_RESERVE_BYTES: '0',
      EVENT_STREAMS_PER_KEY: '2',
      EVENT_STREAMS_TOTAL: '50',
      HEALTH_MAX_BLOCK_LAG: '2',
      PUBLIC_BASE_URL: 'https://ledger.liangdang.example/console/',
      CJK_FONT: '/opt/fonts/NotoSansCJK-Regular.ttc',
    };
    expect(Object.keys(env).sort(), 'this test sets every variable').to.deep.equal([...CONFIG_VARIABLES].sort());
    const c = loadConfig([], env);
    expect(c).to.deep.include({
      host: '0.0.0.0',
      port: 8080,
      dataDir: '/var/lib/county',
      ledger: 'fabric',
      maxEvidenceBytes: 1024,
      demo: false,
      logLevel: 'warn',
      httpWorker: false,
      verifyOnStart: true,
      chaincodeLogLevel: 'DEBUG',
      contractLoadLogLevel: 'ERROR',
      fabric: { networkFile: '/etc/county/network.json', mspId: 'HuixianMSP', chaincode: 'cl2', fallbackPeers: ['fengxian', 'LiangdangMSP'] },
      publicRateLimit: { burst: 5, perSecond: 0.5 },
      queryTrail: { anchorEvery: 7, anchorIntervalMs: 0 },
      tls: { certFile: '/etc/county/tls.crt', keyFile: '/etc/county/tls.key', clientCaFile: '/etc/county/clients.pem' },
      authFailureLimit: { max: 3, windowMs: 500 },
      keyRateLimit: { burst: 10, perSecond: 2 },
      evidenceDiskReserveBytes: 0,
      eventStreams: { perKey: 2, total: 50 },
      healthMaxBlockLag: 2,
      publicBaseUrl: 'https://ledger.liangdang.example/console',
      cjkFont: '/opt/fonts/NotoSansCJK-Regular.ttc',
    });
    expect(c.subjectHmacKey?.toString('hex')).to.equal(key);
    expect(loadConfig(['--public-base-url', 'http://10.1.2.3:8080', '--cjk-font', 'fonts/cjk.ttf'], env)).to.deep.include({
      publicBaseUrl: 'http://10.1.2.3:8080',
      cjkFont: path.resolve('fonts/cjk.ttf'),
    });

    const flagged = loadConfig(
      ['--host', '::1', '--port=9090', '--data-dir', 'd', '--ledger', 'embedded', '--max-evidence-bytes', '2048', '--log-level', 'debug'],
      env,
    );
    expect(flagged).to.deep.include({ host: '::1', port: 9090, dataDir: path.resolve('d'), ledger: 'embedded', maxEvidenceBytes: 2048, logLevel: 'debug' });
    const switchedOff = loadConfig(['--no-demo', '--no-http-worker'], { DEMO: '1', HTTP_WORKER: '1' });
    expect(switchedOff).to.include({ demo: false, httpWorker: false });
    expect(loadConfig(['--verify-on-start'], { VERIFY_ON_START: '0' }).verifyOnStart, 'a default-off switch turned on by its flag').to.equal(true);
    expect(loadConfig([], {}).verifyOnStart).to.equal(false);
    const tlsFlags = loadConfig(['--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--tls-client-ca', 'ca.pem'], {});
    expect(tlsFlags.tls).to.deep.equal({ certFile: path.resolve('c.pem'), keyFile: path.resolve('k.pem'), clientCaFile: path.resolve('ca.pem') });
    expect(loadConfig([], { TLS_CERT: 'c.pem', TLS_KEY: 'k.pem' }).tls, 'no client CA file: the wallet county CAs').to.not.have.key('clientCaFile');
    expect(loadConfig([], { KEY_RATE_PER_SECOND: '0' }).keyRateLimit, 'KEY_RATE_PER_SECOND=0 turns it off').to.equal(false);
    expect(loadConfig([], { PORT: '', HOST: '' }), 'an empty variable counts as unset').to.include({ port: 3000, host: '127.0.0.1' });
  });

  it('refuses bad values and arguments with a message naming the variable or flag', () => {
    const cases: Array<[readonly string[], Environment, RegExp]> = [
      [[], { PORT: 'abc' }, /^PORT must be an integer from 0 to 65535 \(got "abc"\)$/],
      [[], { PORT: '65536' }, /^PORT must be an integer from 0 to 65535/],
      [['--port', '3.5'], {}, /^--port must be an integer from 0 to 65535 \(got "3.5"\)$/],
      [[], { LEDGER: 'couchdb' }, /^LEDGER must be one of embedded, fabric \(got "couchdb"\)$/],
      [[], { MAX_EVIDENCE_BYTES: '0' }, /^MAX_EVIDENCE_BYTES must be an integer of at least 1/],
      [[], { DEMO: 'false' }, /^DEMO must be one of 0, 1 \(got "false"\)$/],
      [[], { HTTP_WORKER: 'no' }, /^HTTP_WORKER must be one of 0, 1/],
      [[], { LOG_LEVEL: 'verbose' }, /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
      [[], { CHAINCODE_LOG_LEVEL: 'loud' }, /^CHAINCODE_LOG_LEVEL must be one of CRITICAL, ERROR, WARNING, INFO, DEBUG/],
      [[], { PUBLIC_RATE_BURST: '0' }, /^PUBLIC_RATE_BURST must be an integer of at least 1 \(got "0"\)$/],
      [[], { PUBLIC_RATE_BURST: '2.5' }, /^PUBLIC_RATE_BURST must be an integer/],
      [[], { PUBLIC_RATE_PER_SECOND: '0' }, /^PUBLIC_RATE_PER_SECOND must be a number above 0 \(got "0"\)$/],
      [[], { PUBLIC_RATE_PER_SECOND: 'fast' }, /^PUBLIC_RATE_PER_SECOND must be a number above 0/],
      [[], { BLACKLIST_TRAIL_ANCHOR_EVERY: '0' }, /^BLACKLIST_TRAIL_ANCHOR_EVERY must be an integer of at least 1/],
      [[], { BLACKLIST_TRAIL_ANCHOR_SECONDS: '-1' }, /^BLACKLIST_TRAIL_ANCHOR_SECONDS must be a number of at least 0/],
      [[], { TLS_CERT: 'c.pem' }, /^TLS_CERT \(--tls-cert\) and TLS_KEY \(--tls-key\) go together/],
      [['--tls-key', 'k.pem'], {}, /^TLS_CERT \(--tls-cert\) and TLS_KEY \(--tls-key\) go together/],
      [[], { TLS_CLIENT_CA: 'ca.pem' }, /^TLS_CLIENT_CA \(--tls-client-ca\) needs HTTPS/],
      [[], { AUTH_FAILURE_LIMIT: '0' }, /^AUTH_FAILURE_LIMIT must be an integer of at least 1/],
      [[], { AUTH_FAILURE_WINDOW_SECONDS: '0' }, /^AUTH_FAILURE_WINDOW_SECONDS must be a number above 0/],
      [[], { KEY_RATE_BURST: '0' }, /^KEY_RATE_BURST must be an integer of at least 1/],
      [[], { KEY_RATE_PER_SECOND: '-1' }, /^KEY_RATE_PER_SECOND must be a number of at least 0/],
      [[], { EVIDENCE_DISK_RESERVE_BYTES: '-1' }, /^EVIDENCE_DISK_RESERVE_BYTES must be an integer of at least 0/],
      [[], { EVIDENCE_DISK_RESERVE_BYTES: '1G' }, /^EVIDENCE_DISK_RESERVE_BYTES must be an integer/],
      [[], { EVENT_STREAMS_PER_KEY: '0' }, /^EVENT_STREAMS_PER_KEY must be an integer of at least 1/],
      [[], { EVENT_STREAMS_TOTAL: '1.5' }, /^EVENT_STREAMS_TOTAL must be an integer/],
      [[], { HEALTH_MAX_BLOCK_LAG: '-1' }, /^HEALTH_MAX_BLOCK_LAG/],
      [[], { PUBLIC_BASE_URL: 'ledger.example' }, /^PUBLIC_BASE_URL \(--public-base-url\) must be an http or https URL/],
      [[], { PUBLIC_BASE_URL: 'ftp://ledger.example' }, /^PUBLIC_BASE_URL \(--public-base-url\) must be an http or https URL/],
      [['--public-base-url', 'https://ledger.example/?a=1'], {}, /without query, fragment or credentials/],
      [[], { PUBLIC_BASE_URL: 'https://user:pw@ledger.example' }, /without query, fragment or credentials/],
      [['--bogus'], {}, /Unknown option '--bogus'[\s\S]*--help/],
      [['--port'], {}, /'--port <value>' argument missing/],
      [['--no-demo=1'], {}, /'--no-demo' does not take an argument/],
      [['serve'], {}, /Unexpected argument 'serve'/],
    ];
    for (const [argv, env, message] of cases) expect(refusal(argv, env), JSON.stringify({ argv, env })).to.match(message);
  });

  it('refuses a short or non-hex SUBJECT_HMAC_KEY without repeating it', () => {
    for (const secret of ['ab'.repeat(31), `${'ab'.repeat(31)}zz`]) {
      const message = refusal([], { SUBJECT_HMAC_KEY: secret });
      expect(message).to.equal('SUBJECT_HMAC_KEY must be at least 32 bytes in hex (64 or more hex digits)');
      expect(message).to.not.include(secret);
    }
  });

  it('gives modules that load before main.ts its settings: chaincode log levels and the Fabric settings', () => {
    expect(chaincodeLogLevel({})).to.equal(undefined);
    expect(chaincodeLogLevel({ CHAINCODE_LOG_LEVEL: 'debug' })).to.equal('DEBUG');
    expect(chaincodeLogLevel({ CHAINCODE_LOG_LEVEL: 'loud' }), 'refused later by loadConfig, muted meanwhile').to.equal(undefined);
    expect(contractLoadLogLevel({})).to.equal('WARNING');
    expect(contractLoadLogLevel({ CORE_CHAINCODE_LOGGING_LEVEL: 'DEBUG' })).to.equal('DEBUG');
    expect(fabricSettings({ FABRIC_MSP_ID: 'FengxianMSP', PORT: 'not read here' })).to.deep.equal({
      networkFile: path.resolve('network/run/network.json'),
      mspId: 'FengxianMSP',
    });
  });

  it('is the only module of gateway-api/src that reads process.env (quiet-logs.ts only sets a library variable)', () => {
    const readers: string[] = [];
    for (const file of sourceFiles('gateway-api/src', ['.ts'])) {
      const name = path.relative(path.join(REPO_ROOT, 'gateway-api/src'), file);
      if (name === 'config.ts') continue;
      const uses = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.includes('process.env'))
        .filter((l) => !/^process\.env\.[A-Z_]+ = /.test(l.trim()));
      if (uses.length) readers.push(`${name}: ${uses.join(' / ').trim()}`);
    }
    expect(readers).to.deep.equal([]);
    // The early readers are wired in: both modules import the config.
    for (const early of ['quiet-logs.ts', 'ledger/embedded/library-patches.ts']) {
      expect(
        importsOf(path.join(REPO_ROOT, 'gateway-api/src', early)).some((s) => s.endsWith('/config')),
        early,
      ).to.equal(true);
    }
  });

  it('buildApp uses the settings it is given: the /public budget and the query trail anchoring', async () => {
    const f = await openAppFixture({ settings: { publicRateLimit: { burst: 1, perSecond: 1 }, queryTrail: { anchorEvery: 1, anchorIntervalMs: 0 } } });
    try {
      expect((await f.request('GET', '/api/v1/public/fund')).statusCode).to.equal(200);
      expect((await f.request('GET', '/api/v1/public/trades')).statusCode).to.equal(429);
      await f.grant(LIANGDANG, 'enf-t', 'enforcement');
      const enf = await f.keyFor(LIANGDANG, 'enf-t');
      const height = await f.ledger.ledger.height();
      expect((await f.request('GET', `/api/v1/blacklist/check/${creditCode('621228', 61_001)}`, enf)).statusCode).to.equal(200);
      // anchorEvery 1: the lookup is anchored on the ledger (Credit:AnchorQueryTrail) without being asked.
      for (let i = 0; i < 50 && (await f.ledger.ledger.height()) === height; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await f.ledger.ledger.height()).to.be.greaterThan(height);
    } finally {
      await f.close();
    }
  });
});
