/**
 * The gateway's configuration: every environment variable and flag it reads, parsed here
 * and nowhere else. Other modules receive the values (GatewayConfig, or the two early
 * readers below for settings needed while modules load).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { QueryTrailOptions } from './audit/query-trail';
import type { AuthFailureLimit, RateLimitOptions } from './plugins/rate-limit';

/** Environment variables as the config reads them (tests pass their own). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Where the Fabric network is (LEDGER=fabric). */
export interface FabricSettings {
  /** The network description written by network:up. */
  readonly networkFile: string;
  /** The county whose peer the gateway talks to; unset: the first county of the network. */
  readonly mspId?: string;
  /** Unset: FabricLedger's default chaincode name. */
  readonly chaincode?: string;
  /** Other counties (keys or MSP IDs), in order, whose peers the gateway falls back on when its own is unreachable. */
  readonly fallbackPeers?: readonly string[];
}

/** HTTPS: the files as given (loadConfig checks they are given together; readTls reads them). */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** CA certificates a client certificate may chain to; unset: the county CAs in the wallet. */
  readonly clientCaFile?: string;
}

/** HTTPS material as buildApp takes it: PEM text (it crosses to the HTTP worker thread as strings). */
export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** PEM CA certificates for client certificates (mutual TLS); unset: the county CAs the wallet trusts. */
  readonly clientCa?: string;
}

export type QueryTrailAnchoring = Required<Pick<QueryTrailOptions, 'anchorEvery' | 'anchorIntervalMs'>>;

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly ledger: 'embedded' | 'fabric';
  /** Largest evidence file accepted, in bytes. */
  readonly maxEvidenceBytes: number;
  /** Seed demo members and data on first start. */
  readonly demo: boolean;
  readonly logLevel: string;
  /** With the embedded ledger: serve HTTP from a worker thread so HTTP and chaincode use both cores. */
  readonly httpWorker: boolean;
  /** Embedded ledger: audit the whole chain before serving (the chain head is always checked). */
  readonly verifyOnStart: boolean;
  /** The key counties share for individuals' subject IDs; unset: main.ts keeps one per data folder. */
  readonly subjectHmacKey?: Buffer;
  /** Embedded ledger: fabric-shim's log level; unset: its logs are muted. */
  readonly chaincodeLogLevel?: string;
  /** fabric-contract-api's log level while the contracts load. */
  readonly contractLoadLogLevel: string;
  readonly fabric: FabricSettings;
  /** The one per-IP budget of the /public routes. */
  readonly publicRateLimit: RateLimitOptions;
  readonly queryTrail: QueryTrailAnchoring;
  /** Unset: plain HTTP. */
  readonly tls?: TlsFiles;
  readonly authFailureLimit: AuthFailureLimit;
  /** The budget of each API key (or client certificate); false: no per-key limit. */
  readonly keyRateLimit: RateLimitOptions | false;
  /**
   * Where people reach this gateway's web console, without a trailing slash: certificates link to
   * `<it>/#/verify/<sha256>`. Unset with PORT=0: the app takes the address it listens on.
   */
  readonly publicBaseUrl?: string;
  /** The CJK font file evidence certificates are set in (TrueType or OpenType, or a collection of them). */
  readonly cjkFont: string;
  /** Free bytes an evidence upload must leave on the data folder's disk. */
  readonly evidenceDiskReserveBytes: number;
  /** How many /events streams may be open at once. */
  readonly eventStreams: EventStreamLimits;
  /** Blocks the own Fabric peer may be behind the highest county peer for /health/ready. */
  readonly healthMaxBlockLag: number;
}

/** Open /events streams at most: per API key (or client certificate), and in all. */
export interface EventStreamLimits {
  readonly perKey: number;
  readonly total: number;
}

/** A refused configuration value or argument; main.ts prints the message alone. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

interface Setting {
  readonly variable: string;
  /** The flag: `--<flag> <value>`; for an on/off setting `--no-<flag>`, the same as `<variable>=0`. */
  readonly flag?: string;
  readonly onOff?: boolean;
  /** The value's name in --help. */
  readonly value?: string;
  /** Used when neither the flag nor the variable is given. */
  readonly default?: string;
  /** What happens when the setting is not given and has no default. */
  readonly unset?: string;
  readonly about: string;
}

/** WenQuanYi Micro Hei as Debian's fonts-wqy-microhei installs it (.ci/run installs the package). */
export const DEFAULT_CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const CHAINCODE_LOG_LEVELS = ['CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG'] as const;

/** Every setting of the gateway, in --help order. README.md's Configuration table lists exactly these variables. */
export const SETTINGS = {
  host: { variable: 'HOST', flag: 'host', value: 'addr', default: '127.0.0.1', about: 'listen address' },
  port: { variable: 'PORT', flag: 'port', value: 'n', default: '3000', about: 'listen port; 0 takes any free port' },
  dataDir: { variable: 'DATA_DIR', flag: 'data-dir', value: 'dir', default: './data', about: 'data folder' },
  ledger: { variable: 'LEDGER', flag: 'ledger', value: 'kind', default: 'embedded', about: 'embedded | fabric' },
  maxEvidenceBytes: {
    variable: 'MAX_EVIDENCE_BYTES',
    flag: 'max-evidence-bytes',
    value: 'n',
    default: String(25 * 1024 * 1024),
    about: 'largest evidence upload, in bytes',
  },
  demo: { variable: 'DEMO', flag: 'demo', onOff: true, default: '1', about: 'seed demo members and data on first start' },
  logLevel: { variable: 'LOG_LEVEL', flag: 'log-level', value: 'level', default: 'info', about: `fastify log level: ${LOG_LEVELS.join(' | ')}` },
  httpWorker: { variable: 'HTTP_WORKER', flag: 'http-worker', onOff: true, default: '1', about: 'embedded ledger: serve HTTP from a worker thread' },
  verifyOnStart: {
    variable: 'VERIFY_ON_START',
    flag: 'verify-on-start',
    onOff: true,
    default: '0',
    about: 'embedded ledger: audit the whole chain before serving (the head is always checked)',
  },
  subjectHmacKey: {
    variable: 'SUBJECT_HMAC_KEY',
    unset: 'generated once into <data-dir>/subject-hmac.key',
    about: "key (hex, at least 32 bytes) for individuals' subject IDs; every county's gateway must share it",
  },
  chaincodeLogLevel: {
    variable: 'CHAINCODE_LOG_LEVEL',
    unset: "fabric-shim's own logs are muted in-process",
    about: `embedded ledger: fabric-shim log level, ${CHAINCODE_LOG_LEVELS.join(' | ')}`,
  },
  contractLoadLogLevel: {
    variable: 'CORE_CHAINCODE_LOGGING_LEVEL',
    default: 'WARNING',
    about: "fabric-contract-api's log level while the contracts load, in Fabric's level names",
  },
  fabricNetwork: { variable: 'FABRIC_NETWORK', default: 'network/run/network.json', about: 'LEDGER=fabric: the network description' },
  fabricMspId: { variable: 'FABRIC_MSP_ID', unset: 'the first county of the network', about: 'LEDGER=fabric: the county whose peer to use' },
  fabricChaincode: { variable: 'FABRIC_CHAINCODE', unset: 'countyledger', about: 'LEDGER=fabric: the chaincode name' },
  fabricFallbackPeers: {
    variable: 'FABRIC_FALLBACK_PEERS',
    unset: 'no fallback: only its own peer',
    about: 'LEDGER=fabric: other counties (keys or MSP IDs, comma-separated, in order) whose peers the gateway uses while its own peer cannot be reached',
  },
  publicRateBurst: { variable: 'PUBLIC_RATE_BURST', default: '30', about: 'requests a client IP may make at once to the /public routes (together)' },
  publicRatePerSecond: {
    variable: 'PUBLIC_RATE_PER_SECOND',
    default: '1',
    about: '/public requests per second per client IP in the long run; the window lasts PUBLIC_RATE_BURST / this many seconds',
  },
  tlsCert: {
    variable: 'TLS_CERT',
    flag: 'tls-cert',
    value: 'file',
    unset: 'plain HTTP',
    about: 'serve HTTPS with this PEM certificate (its chain may follow it); needs TLS_KEY',
  },
  tlsKey: { variable: 'TLS_KEY', flag: 'tls-key', value: 'file', unset: 'plain HTTP', about: "with TLS_CERT: the certificate's PEM private key" },
  tlsClientCa: {
    variable: 'TLS_CLIENT_CA',
    flag: 'tls-client-ca',
    value: 'file',
    unset: 'the county CAs in the wallet',
    about: 'with HTTPS: PEM CA certificates a client certificate (mutual TLS, instead of an API key) must chain to',
  },
  authFailureLimit: {
    variable: 'AUTH_FAILURE_LIMIT',
    default: '20',
    about: 'failed authentications (a wrong API key or client certificate) a client IP may make per window before it gets 429',
  },
  authFailureWindowSeconds: { variable: 'AUTH_FAILURE_WINDOW_SECONDS', default: '60', about: 'the window of AUTH_FAILURE_LIMIT, in seconds' },
  keyRateBurst: { variable: 'KEY_RATE_BURST', default: '3000', about: 'requests one API key (or client certificate) may make at once' },
  keyRatePerSecond: {
    variable: 'KEY_RATE_PER_SECOND',
    default: '300',
    about: 'requests per second per API key in the long run; the window lasts KEY_RATE_BURST / this many seconds; 0 turns the per-key limit off',
  },
  trailAnchorEvery: {
    variable: 'BLACKLIST_TRAIL_ANCHOR_EVERY',
    default: '100',
    about: 'anchor the blacklist query trail on the ledger after this many lookups',
  },
  trailAnchorSeconds: {
    variable: 'BLACKLIST_TRAIL_ANCHOR_SECONDS',
    default: '60',
    about: 'anchor it at least this often, in seconds; 0 anchors only by count and on demand',
  },
  evidenceDiskReserveBytes: {
    variable: 'EVIDENCE_DISK_RESERVE_BYTES',
    default: String(1024 * 1024 * 1024),
    about: 'free space, in bytes, an evidence upload must leave on the disk of DATA_DIR; an upload that could leave less is refused with 507',
  },
  eventStreamsPerKey: {
    variable: 'EVENT_STREAMS_PER_KEY',
    default: '4',
    about: 'open /events streams one API key (or client certificate) may hold at once; over it 429',
  },
  eventStreamsTotal: {
    variable: 'EVENT_STREAMS_TOTAL',
    default: '256',
    about: 'open /events streams the gateway serves at once, all callers together; over it 429',
  },
  healthMaxBlockLag: {
    variable: 'HEALTH_MAX_BLOCK_LAG',
    default: '5',
    about: 'LEDGER=fabric: blocks the own peer may be behind the highest county peer before /health/ready answers 503',
  },
  publicBaseUrl: {
    variable: 'PUBLIC_BASE_URL',
    flag: 'public-base-url',
    value: 'url',
    unset: 'http(s)://<HOST>:<PORT>, the port listened on with PORT=0',
    about: "the address people reach this gateway's web console at; evidence certificates carry a QR code to <url>/#/verify/<sha256>",
  },
  cjkFont: {
    variable: 'CJK_FONT',
    flag: 'cjk-font',
    value: 'file',
    default: DEFAULT_CJK_FONT,
    about: 'a font with Chinese glyphs (.ttf, .otf, or a .ttc collection: its first face that has them) for evidence certificates',
  },
} as const satisfies Record<string, Setting>;

type SettingName = keyof typeof SETTINGS;
const ALL: ReadonlyArray<readonly [SettingName, Setting]> = Object.entries(SETTINGS) as Array<[SettingName, Setting]>;

/** The environment variables the gateway reads. */
export const CONFIG_VARIABLES: readonly string[] = ALL.map(([, s]) => s.variable);

/** How a setting is given on the command line (`--port`, `--no-demo`), if it can be. */
export function flagOf(setting: Setting): string | undefined {
  if (!setting.flag) return undefined;
  return `--${flagName(setting)}`;
}

/** An on/off setting's flag turns it the other way from its default: `no-demo`, `verify-on-start`. */
function flagName(setting: Setting): string {
  return setting.onOff && setting.default !== '0' ? `no-${setting.flag}` : (setting.flag as string);
}

export function helpText(): string {
  const lines = ALL.map(([, s]) => {
    const flag = flagOf(s);
    const given = [flag && (s.value ? `${flag} <${s.value}>` : flag), s.onOff ? `${s.variable}=${s.default === '0' ? 1 : 0}` : s.variable]
      .filter(Boolean)
      .join(', ');
    const fallback = s.default === undefined ? `unset: ${s.unset}` : `default ${s.onOff ? (s.default === '1' ? 'on' : 'off') : s.default}`;
    return `  ${given}\n      ${s.about} (${fallback})`;
  });
  return `County Ledger gateway: node dist/gateway-api/src/main.js [options]

Each setting is an environment variable, and some also a flag; a flag wins over its variable.

${lines.join('\n')}
  --help, -h
      print this and exit
`;
}

/** Whether the arguments ask for --help (answered before anything else is checked). */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

function parseFlags(argv: readonly string[]): Record<string, string | boolean | undefined> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [, s] of ALL) if (s.flag) options[flagName(s)] = { type: s.onOff ? 'boolean' : 'string' };
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new ConfigError(`${err instanceof Error ? err.message : String(err)}\n(--help lists the options)`);
  }
}

/** Reads settings from flags, then the environment, then their defaults; refuses bad values naming where they came from. */
class Reader {
  readonly #flags: Record<string, string | boolean | undefined>;
  readonly #env: Environment;

  constructor(flags: Record<string, string | boolean | undefined>, env: Environment) {
    this.#flags = flags;
    this.#env = env;
  }

  /** The setting's text and where it came from; an empty variable counts as not given. */
  #raw(name: SettingName): { text: string; from: string } | undefined {
    const s: Setting = SETTINGS[name];
    if (s.flag && s.onOff && this.#flags[flagName(s)] === true) return { text: s.default === '0' ? '1' : '0', from: `--${flagName(s)}` };
    const flagged = s.flag && !s.onOff ? this.#flags[s.flag] : undefined;
    if (typeof flagged === 'string') return { text: flagged, from: `--${s.flag}` };
    const env = this.#env[s.variable];
    if (env !== undefined && env !== '') return { text: env, from: s.variable };
    return s.default !== undefined ? { text: s.default, from: `the default of ${s.variable}` } : undefined;
  }

  #refuse(from: string, text: string, wanted: string): never {
    throw new ConfigError(`${from} must be ${wanted} (got ${JSON.stringify(text)})`);
  }

  optional(name: SettingName): string | undefined {
    return this.#raw(name)?.text;
  }

  text(name: SettingName): string {
    const raw = this.#raw(name);
    if (raw === undefined) throw new ConfigError(`${SETTINGS[name].variable} is required`);
    return raw.text;
  }

  number(name: SettingName, wanted: { integer?: boolean; min: number; max?: number; above?: boolean }): number {
    const { text, from } = this.#raw(name) ?? { text: '', from: SETTINGS[name].variable };
    const n = text.trim() === '' ? NaN : Number(text);
    const max = wanted.max ?? Number.MAX_SAFE_INTEGER;
    const fits = Number.isFinite(n) && (wanted.above ? n > wanted.min : n >= wanted.min) && n <= max && (!wanted.integer || Number.isInteger(n));
    if (!fits) {
      const kind = wanted.integer ? 'an integer' : 'a number';
      const range = wanted.max !== undefined ? `from ${wanted.min} to ${wanted.max}` : wanted.above ? `above ${wanted.min}` : `of at least ${wanted.min}`;
      this.#refuse(from, text, `${kind} ${range}`);
    }
    return n;
  }

  choice<T extends string>(name: SettingName, values: readonly T[], normalise: (text: string) => string = (t) => t): T {
    const { text, from } = this.#raw(name) ?? { text: '', from: SETTINGS[name].variable };
    const value = normalise(text);
    if (!(values as readonly string[]).includes(value)) this.#refuse(from, text, `one of ${values.join(', ')}`);
    return value as T;
  }

  onOff(name: SettingName): boolean {
    return this.choice(name, ['0', '1']) === '1';
  }

  /** A secret in hex; the refusal does not repeat the value. */
  hexKey(name: SettingName, minBytes: number): Buffer | undefined {
    const raw = this.#raw(name);
    if (raw === undefined) return undefined;
    if (!new RegExp(`^[0-9a-fA-F]{${minBytes * 2},}$`).test(raw.text))
      throw new ConfigError(`${raw.from} must be at least ${minBytes} bytes in hex (${minBytes * 2} or more hex digits)`);
    return Buffer.from(raw.text, 'hex');
  }
}

/** CHAINCODE_LOG_LEVEL, in Fabric's level names (any case). */
function chaincodeLevelOf(read: Reader): string | undefined {
  return read.optional('chaincodeLogLevel') === undefined ? undefined : read.choice('chaincodeLogLevel', CHAINCODE_LOG_LEVELS, (t) => t.toUpperCase());
}

function tlsOf(read: Reader): TlsFiles | undefined {
  const certFile = read.optional('tlsCert');
  const keyFile = read.optional('tlsKey');
  const clientCaFile = read.optional('tlsClientCa');
  if (!certFile && !keyFile) {
    if (clientCaFile) throw new ConfigError('TLS_CLIENT_CA (--tls-client-ca) needs HTTPS: give TLS_CERT and TLS_KEY too');
    return undefined;
  }
  if (!certFile || !keyFile) throw new ConfigError('TLS_CERT (--tls-cert) and TLS_KEY (--tls-key) go together: give both or neither');
  return { certFile: path.resolve(certFile), keyFile: path.resolve(keyFile), ...(clientCaFile ? { clientCaFile: path.resolve(clientCaFile) } : {}) };
}

function optionalEntry<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** An http(s) base URL for a listen address (an IPv6 host in brackets). */
export function baseUrlOf(host: string, port: number, https: boolean): string {
  return `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * PUBLIC_BASE_URL as an http(s) origin with an optional path and no trailing slash; unset: the
 * listen address, or undefined with PORT=0 (the port is known only once listening).
 */
function publicBaseUrlOf(read: Reader, host: string, port: number, https: boolean): string | undefined {
  const given = read.optional('publicBaseUrl');
  if (given === undefined) return port === 0 ? undefined : baseUrlOf(host, port, https);
  let url: URL | undefined;
  try {
    url = new URL(given);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(
      `PUBLIC_BASE_URL (--public-base-url) must be an http or https URL without query, fragment or credentials (got ${JSON.stringify(given)})`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function keyRateLimitOf(read: Reader): RateLimitOptions | false {
  const perSecond = read.number('keyRatePerSecond', { min: 0 });
  const burst = read.number('keyRateBurst', { integer: true, min: 1 });
  return perSecond === 0 ? false : { burst, perSecond };
}

/**
 * Reads the HTTPS files (at start-up, in main.ts); a file that cannot be read or holds no PEM
 * block is refused naming its variable. Whether the PEM is a usable key pair, node:tls decides.
 */
export function readTls(files: TlsFiles): TlsMaterial {
  const read = (file: string, variable: string, wanted: RegExp, what: string): string => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`${variable}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    if (!wanted.test(text)) throw new ConfigError(`${variable}: ${file} holds no PEM ${what}`);
    return text;
  };
  return {
    cert: read(files.certFile, 'TLS_CERT', /-----BEGIN CERTIFICATE-----/, 'certificate'),
    key: read(files.keyFile, 'TLS_KEY', /-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'private key'),
    ...(files.clientCaFile ? { clientCa: read(files.clientCaFile, 'TLS_CLIENT_CA', /-----BEGIN CERTIFICATE-----/, 'certificate') } : {}),
  };
}

function fabricOf(read: Reader): FabricSettings {
  const mspId = read.optional('fabricMspId');
  const chaincode = read.optional('fabricChaincode');
  const fallbackPeers = (read.optional('fabricFallbackPeers') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return {
    networkFile: path.resolve(read.text('fabricNetwork')),
    ...(mspId ? { mspId } : {}),
    ...(chaincode ? { chaincode } : {}),
    ...(fallbackPeers.length ? { fallbackPeers } : {}),
  };
}

/** The configuration from command-line arguments and the environment. Throws ConfigError on a bad value. */
export function loadConfig(argv: readonly string[] = process.argv.slice(2), env: Environment = process.env): GatewayConfig {
  const read = new Reader(parseFlags(argv), env);
  const subjectHmacKey = read.hexKey('subjectHmacKey', 32);
  const chaincodeLogLevel = chaincodeLevelOf(read);
  const tls = tlsOf(read);
  const host = read.text('host');
  const port = read.number('port', { integer: true, min: 0, max: 65535 });
  return {
    host,
    port,
    dataDir: path.resolve(read.text('dataDir')),
    ledger: read.choice('ledger', ['embedded', 'fabric']),
    maxEvidenceBytes: read.number('maxEvidenceBytes', { integer: true, min: 1 }),
    demo: read.onOff('demo'),
    logLevel: read.choice('logLevel', LOG_LEVELS),
    httpWorker: read.onOff('httpWorker'),
    verifyOnStart: read.onOff('verifyOnStart'),
    ...(subjectHmacKey ? { subjectHmacKey } : {}),
    ...(chaincodeLogLevel ? { chaincodeLogLevel } : {}),
    contractLoadLogLevel: read.text('contractLoadLogLevel'),
    fabric: fabricOf(read),
    publicRateLimit: {
      burst: read.number('publicRateBurst', { integer: true, min: 1 }),
      perSecond: read.number('publicRatePerSecond', { min: 0, above: true }),
    },
    queryTrail: {
      anchorEvery: read.number('trailAnchorEvery', { integer: true, min: 1 }),
      anchorIntervalMs: read.number('trailAnchorSeconds', { min: 0 }) * 1000,
    },
    ...(tls ? { tls } : {}),
    authFailureLimit: {
      max: read.number('authFailureLimit', { integer: true, min: 1 }),
      windowMs: read.number('authFailureWindowSeconds', { min: 0, above: true }) * 1000,
    },
    keyRateLimit: keyRateLimitOf(read),
    evidenceDiskReserveBytes: read.number('evidenceDiskReserveBytes', { integer: true, min: 0 }),
    eventStreams: {
      perKey: read.number('eventStreamsPerKey', { integer: true, min: 1 }),
      total: read.number('eventStreamsTotal', { integer: true, min: 1 }),
    },
    healthMaxBlockLag: read.number('healthMaxBlockLag', { integer: true, min: 0 }),
    ...optionalEntry('publicBaseUrl', publicBaseUrlOf(read, host, port, tls !== undefined)),
    cjkFont: path.resolve(read.text('cjkFont')),
  };
}

/** The configuration with nothing given: what buildApp uses for settings its caller leaves out. */
export function defaultConfig(): GatewayConfig {
  return loadConfig([], {});
}

/** The Fabric settings alone, for tests and benchmarks that open the Fabric ledger without a GatewayConfig. */
export function fabricSettings(env: Environment = process.env): FabricSettings {
  return fabricOf(new Reader({}, env));
}

/**
 * CHAINCODE_LOG_LEVEL for ledger/embedded/library-patches.ts, which needs it while it loads, before
 * main.ts has a GatewayConfig. A bad value counts as unset here; loadConfig then refuses it at start-up.
 */
export function chaincodeLogLevel(env: Environment = process.env): string | undefined {
  try {
    return chaincodeLevelOf(new Reader({}, env));
  } catch {
    return undefined;
  }
}

/** CORE_CHAINCODE_LOGGING_LEVEL for quiet-logs.ts, which sets it before fabric-contract-api loads. */
export function contractLoadLogLevel(env: Environment = process.env): string {
  return new Reader({}, env).text('contractLoadLogLevel');
}
