import path from 'node:path';

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
}

const HELP = `County Ledger gateway

Options (each also read from the environment variable in brackets):
  --host <addr>           listen address [HOST] (default 127.0.0.1)
  --port <n>              listen port [PORT] (default 3000)
  --data-dir <dir>        data folder [DATA_DIR] (default ./data)
  --ledger <kind>         embedded | fabric [LEDGER] (default embedded)
  --max-evidence-bytes n  evidence upload limit [MAX_EVIDENCE_BYTES] (default 26214400)
  --no-demo               do not seed demo members and data [DEMO=0]
  --log-level <level>     fastify log level [LOG_LEVEL] (default info)
  --no-http-worker        serve HTTP on the ledger's thread [HTTP_WORKER=0] (default: a worker thread)
`;

export function loadConfig(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(HELP);
      process.exit(0);
    }
    if (arg === '--no-demo') {
      flags.set('demo', '0');
      continue;
    }
    if (arg === '--no-http-worker') {
      flags.set('http-worker', '0');
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg}\n\n${HELP}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    flags.set(m[1] as string, value);
  }
  const pick = (flag: string, envName: string, fallback: string): string => flags.get(flag) ?? env[envName] ?? fallback;
  const port = Number(pick('port', 'PORT', '3000'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0-65535, got ${pick('port', 'PORT', '')}`);
  const ledger = pick('ledger', 'LEDGER', 'embedded');
  if (ledger !== 'embedded' && ledger !== 'fabric') throw new Error(`LEDGER must be embedded or fabric, got ${ledger}`);
  const maxEvidenceBytes = Number(pick('max-evidence-bytes', 'MAX_EVIDENCE_BYTES', String(25 * 1024 * 1024)));
  if (!Number.isInteger(maxEvidenceBytes) || maxEvidenceBytes < 1) throw new Error('MAX_EVIDENCE_BYTES must be a positive integer');
  return {
    host: pick('host', 'HOST', '127.0.0.1'),
    port,
    dataDir: path.resolve(pick('data-dir', 'DATA_DIR', './data')),
    ledger,
    maxEvidenceBytes,
    demo: pick('demo', 'DEMO', '1') !== '0',
    logLevel: pick('log-level', 'LOG_LEVEL', 'info'),
    httpWorker: pick('http-worker', 'HTTP_WORKER', '1') !== '0',
  };
}
