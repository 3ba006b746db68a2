import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../peer-state';

const MAIN = path.join(ROOT, 'dist/gateway-api/src/main.js');

/**
 * A county's gateway as a real process (dist main.js, LEDGER=fabric), so it can be killed with
 * SIGKILL and started again on the same port and data folder, as an operator's supervisor would.
 */
export class GatewayProcess {
  readonly mspId: string;
  readonly dataDir: string;
  readonly #networkFile: string;
  #child: ChildProcess | undefined;
  #port = 0;
  #log = '';

  constructor(mspId: string, dataDir: string, networkFile: string) {
    this.mspId = mspId;
    this.dataDir = dataDir;
    this.#networkFile = networkFile;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Starts it (the first time on any free port, then on the same one) and waits until it listens. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        LEDGER: 'fabric',
        FABRIC_NETWORK: this.#networkFile,
        FABRIC_MSP_ID: this.mspId,
        DATA_DIR: this.dataDir,
        PORT: String(this.#port),
        HOST: '127.0.0.1',
        DEMO: '0',
        LOG_LEVEL: 'warn',
        // The blacklist query trail is anchored by count only: no timer submits once the load has stopped.
        BLACKLIST_TRAIL_ANCHOR_SECONDS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let out = '';
    child.stderr?.on('data', (d: Buffer) => (this.#log = (this.#log + d.toString()).slice(-20_000)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    this.#port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.mspId}'s gateway did not start: ${out}\n${this.#log}`)), 60_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /County Ledger API on https?:\/\/[^:]+:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      void exited.then((code) => reject(new Error(`${this.mspId}'s gateway exited (${code}) before listening: ${out}\n${this.#log}`)));
    });
  }

  /** SIGKILL: no shutdown, answers in flight are lost. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  get log(): string {
    return this.#log;
  }
}
