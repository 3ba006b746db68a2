import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createConnection, createServer, Server } from 'node:net';
import path from 'node:path';
import { BackupManifest, Progress } from './backup';

/**
 * The operator's channel to a running gateway: a Unix socket in the data folder (mode 0600, so
 * only the account that runs the gateway may use it), not an HTTP route, because a backup writes
 * to the gateway machine's own disk. One JSON request per connection; progress lines, then the
 * result or the error.
 */
export const CONTROL_SOCKET = 'control.sock';

export type ControlRequest = { readonly op: 'backup'; readonly target: string };
export type ControlMessage = { readonly progress: string; readonly done?: number } | { readonly result: BackupManifest } | { readonly error: string };

export function controlSocketPath(dataDir: string): string {
  return path.join(dataDir, CONTROL_SOCKET);
}

/**
 * Serves backups on the data folder's control socket. A socket that cannot be opened (no Unix
 * sockets on that file system, no permission) leaves the gateway serving without it: `onError`
 * says so (default: a line on stderr): it is a side service, like evidence certificates without their font.
 */
export function serveControl(
  dataDir: string,
  backup: (target: string, progress: Progress) => Promise<BackupManifest>,
  onError: (message: string) => void = (message) => process.stderr.write(`county-ledger: ${message}\n`),
): Server {
  const socket = controlSocketPath(dataDir);
  try {
    // A socket left by a gateway that did not stop cleanly.
    if (existsSync(socket)) rmSync(socket);
  } catch (err) {
    // Listening then fails too, and is said below.
    onError(`the old control socket ${socket} could not be removed (${err instanceof Error ? err.message : String(err)})`);
  }
  let running = false;
  const server = createServer((conn) => {
    let buffered = '';
    const send = (m: ControlMessage) => conn.write(`${JSON.stringify(m)}\n`);
    conn.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      let request: ControlRequest;
      try {
        request = JSON.parse(buffered.slice(0, newline)) as ControlRequest;
      } catch {
        send({ error: 'not a JSON request' });
        conn.end();
        return;
      }
      if (request.op !== 'backup' || typeof request.target !== 'string' || !path.isAbsolute(request.target)) {
        send({ error: 'the request must be {"op":"backup","target":"<absolute folder>"}' });
        conn.end();
        return;
      }
      if (running) {
        send({ error: 'a backup is already running' });
        conn.end();
        return;
      }
      running = true;
      backup(request.target, (progress, done) => send({ progress, ...(done !== undefined ? { done } : {}) }))
        .then((result) => send({ result }))
        .catch((err: unknown) => send({ error: err instanceof Error ? err.message : String(err) }))
        .finally(() => {
          running = false;
          conn.end();
        });
    });
    conn.on('error', () => undefined);
  });
  server.on('error', (err) =>
    onError(`the control socket ${socket} could not be opened (${err.message}); the gateway serves without it, and npm run backup cannot reach it`),
  );
  server.listen(socket, () => {
    try {
      chmodSync(socket, 0o600);
    } catch (err) {
      onError(`the control socket ${socket} could not be made private (${err instanceof Error ? err.message : String(err)}); it is closed`);
      server.close();
    }
  });
  return server;
}

/** Asks the gateway running on `dataDir` for a backup; undefined when no gateway answers there. */
export function requestBackup(
  dataDir: string,
  target: string,
  onProgress: (m: { progress: string; done?: number }) => void,
): Promise<BackupManifest | undefined> {
  const socket = controlSocketPath(dataDir);
  if (!existsSync(socket)) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const conn = createConnection(socket);
    let buffered = '';
    let settled = false;
    conn.on('connect', () => conn.write(`${JSON.stringify({ op: 'backup', target } satisfies ControlRequest)}\n`));
    conn.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffered.slice(0, newline)) as ControlMessage;
        buffered = buffered.slice(newline + 1);
        if ('progress' in message) onProgress(message);
        else if ('result' in message) {
          settled = true;
          resolve(message.result);
        } else {
          settled = true;
          reject(new Error(message.error));
        }
      }
    });
    conn.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      // A socket left by a gateway that is gone: nobody answers.
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') resolve(undefined);
      else reject(err);
    });
    conn.on('close', () => {
      if (!settled) reject(new Error('the gateway closed the control connection without an answer'));
    });
  });
}
