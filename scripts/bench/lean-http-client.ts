import { connect, Socket } from 'node:net';

/**
 * A load generator's HTTP/1.1 client: keep-alive connections, one request in flight on each (no
 * pipelining, as undici's pool with pipelining 1 and as browsers do), requests written as one
 * pre-formatted buffer, responses framed by Content-Length only. It exists because the load
 * clients share the machine's two cores with the gateway they measure: undici spends about
 * 25–30 µs of CPU per request, this client a few µs (docs/benchmarks.md), so more of the two
 * cores goes to the gateway. It understands exactly what the gateway sends (Content-Length bodies;
 * no chunked encoding, no 1xx) and fails a request on anything else.
 */
export class LeanHttpClient {
  readonly #host: string;
  readonly #port: number;
  readonly #idle: LeanConnection[] = [];
  readonly #all: LeanConnection[] = [];
  readonly #waiting: Array<(c: LeanConnection) => void> = [];
  readonly #connections: number;

  constructor(url: string, connections: number) {
    const u = new URL(url);
    this.#host = u.hostname;
    this.#port = Number(u.port);
    this.#connections = connections;
  }

  /** Sends one request and answers its status and body; rejects on a transport failure. */
  async request(method: 'GET' | 'POST', path: string, headers: Readonly<Record<string, string>>, body?: string): Promise<{ status: number; body: Buffer }> {
    const connection = await this.#acquire();
    try {
      return await connection.send(formatRequest(method, path, this.#host, headers, body));
    } finally {
      this.#release(connection);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((c) => c.close()));
  }

  #acquire(): Promise<LeanConnection> {
    const idle = this.#idle.pop();
    if (idle && !idle.broken) return Promise.resolve(idle);
    if (this.#all.length < this.#connections) return Promise.resolve(this.#open());
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #open(): LeanConnection {
    const c = new LeanConnection(this.#host, this.#port);
    this.#all.push(c);
    return c;
  }

  #release(connection: LeanConnection): void {
    if (connection.broken) {
      this.#all.splice(this.#all.indexOf(connection), 1);
      this.#waiting.shift()?.(this.#open());
      return;
    }
    const next = this.#waiting.shift();
    if (next) next(connection);
    else this.#idle.push(connection);
  }
}

function formatRequest(method: string, path: string, host: string, headers: Readonly<Record<string, string>>, body?: string): Buffer {
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  if (body === undefined) return Buffer.from(`${head}\r\n`, 'latin1');
  const payload = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`${head}content-length: ${payload.length}\r\n\r\n`, 'latin1'), payload]);
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection with at most one request in flight. */
class LeanConnection {
  readonly #socket: Socket;
  #buffered: Buffer = Buffer.alloc(0);
  #pending: { resolve: (r: { status: number; body: Buffer }) => void; reject: (e: Error) => void } | undefined;
  broken = false;

  constructor(host: string, port: number) {
    this.#socket = connect({ host, port, noDelay: true });
    this.#socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    const fail = (err: Error) => {
      this.broken = true;
      const p = this.#pending;
      this.#pending = undefined;
      p?.reject(err);
    };
    this.#socket.on('error', fail);
    this.#socket.on('close', () => fail(new Error('connection closed by the server')));
  }

  send(request: Buffer): Promise<{ status: number; body: Buffer }> {
    if (this.broken) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#socket.write(request);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#socket.destroyed) return resolve();
      this.#socket.once('close', () => resolve());
      this.#socket.end();
    });
  }

  #onData(chunk: Buffer): void {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    const end = this.#buffered.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.#buffered.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const match = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!match || !(status >= 200)) {
      this.broken = true;
      this.#socket.destroy();
      this.#pending?.reject(new Error(`unframed response: ${head.split('\r\n')[0] ?? ''}`));
      this.#pending = undefined;
      return;
    }
    const bodyStart = end + HEADER_END.length;
    const bodyEnd = bodyStart + Number(match[1]);
    if (this.#buffered.length < bodyEnd) return;
    const body = this.#buffered.subarray(bodyStart, bodyEnd);
    this.#buffered = this.#buffered.subarray(bodyEnd);
    const p = this.#pending;
    this.#pending = undefined;
    if (/\r\nconnection: *close/i.test(head)) this.broken = true;
    p?.resolve({ status, body });
  }
}
