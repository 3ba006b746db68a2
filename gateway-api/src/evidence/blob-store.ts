import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, open, readdir, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { renameDurably, syncFolder } from '../auth/atomic-file';
import { ApiError } from '../errors';

export interface Digests {
  readonly sha256: string;
  readonly sm3: string;
  readonly sizeBytes: number;
}

/** Hashes a stream with SHA-256 and SM3 as it passes, refusing more than `maxBytes`. */
export class DigestingStream extends Transform {
  readonly #sha256 = createHash('sha256');
  readonly #sm3 = createHash('sm3');
  readonly #maxBytes: number;
  #size = 0;

  constructor(maxBytes: number) {
    super();
    this.#maxBytes = maxBytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    this.#size += chunk.length;
    if (this.#size > this.#maxBytes) return done(new ApiError('PAYLOAD_TOO_LARGE', `the file exceeds the ${this.#maxBytes}-byte limit`));
    this.#sha256.update(chunk);
    this.#sm3.update(chunk);
    done(null, chunk);
  }

  digests(): Digests {
    return { sha256: this.#sha256.digest('hex'), sm3: this.#sm3.digest('hex'), sizeBytes: this.#size };
  }
}

/** Computes digests of a stream without keeping it (evidence verification). */
export async function digestStream(source: Readable, maxBytes: number): Promise<Digests> {
  const digesting = new DigestingStream(maxBytes);
  // The digesting stream passes nothing on; the sink only drains it.
  await pipeline(source, digesting, async (chunks: AsyncIterable<unknown>) => {
    for await (const _ of chunks) void _;
  });
  return digesting.digests();
}

/** A stream the multipart parser cut at its size limit says so. */
type MaybeTruncated = Readable & { truncated?: boolean };

/**
 * An upload read into the store's staging folder, not yet in the store: `keep` moves it into
 * place, `discard` removes it. Until kept, no reader sees it and nothing of it stays behind.
 */
export interface StagedBlob extends Digests {
  /** Moves the file into the store (durably); if the store has it already, drops the staged copy. */
  keep(): Promise<void>;
  /** Removes the staged file unless it was kept; safe to call more than once. */
  discard(): Promise<void>;
}

const STAGING = 'tmp';

/**
 * Content-addressed file store: a file lives at blobs/<sha256[0:2]>/<sha256>. An upload is
 * streamed to a staging file while its digests are computed, fsynced, and only moved into place
 * (rename, then the folder fsynced) once the caller decides to keep it, so a reader never sees a
 * partial file and a refused upload leaves nothing. Before accepting one, the free space of the
 * disk is checked against `reserveBytes`.
 */
export class BlobStore {
  readonly #dir: string;
  readonly #reserveBytes: number;
  #swept: Promise<void> | undefined;

  /** `reserveBytes`: free space an upload must leave on the store's disk (0: only what the upload needs). */
  constructor(dir: string, reserveBytes = 0) {
    this.#dir = dir;
    this.#reserveBytes = reserveBytes;
  }

  pathOf(sha256: string): string {
    return path.join(this.#dir, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /**
   * Refuses with 507 INSUFFICIENT_STORAGE an upload of `bytes` (at most) that would leave less
   * than the reserve free on the store's disk. Call before reading the upload.
   */
  async ensureSpaceFor(bytes: number): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const fs = await statfs(this.#dir);
    const free = Number(fs.bavail) * Number(fs.bsize);
    if (free - bytes < this.#reserveBytes) {
      // No figures of the disk in the answer: it says what happened and that nothing was kept.
      throw new ApiError('INSUFFICIENT_STORAGE', 'the evidence store is short of disk space (it keeps a reserve free); nothing was stored, try again later');
    }
  }

  /** Streams an upload to a staging file; refuses an empty file, one over `maxBytes` and one the parser truncated (413). */
  async stage(source: MaybeTruncated, maxBytes: number): Promise<StagedBlob> {
    await this.#sweepOnce();
    const staging = path.join(this.#dir, STAGING);
    await mkdir(staging, { recursive: true });
    const tmp = path.join(staging, `${process.pid}-${randomBytes(8).toString('hex')}`);
    const digesting = new DigestingStream(maxBytes);
    const discard = () => rm(tmp, { force: true });
    try {
      await pipeline(source, digesting, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
      // fsync through a new descriptor: it flushes the file's data whichever descriptor wrote it.
      const handle = await open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (source.truncated) throw new ApiError('PAYLOAD_TOO_LARGE', `the file exceeds the ${maxBytes}-byte limit`);
      const digests = digesting.digests();
      if (digests.sizeBytes === 0) throw new ApiError('INVALID_ARGUMENT', 'the file is empty');
      let settled = false;
      return {
        ...digests,
        keep: async () => {
          if (settled) return;
          settled = true;
          const final = this.pathOf(digests.sha256);
          if (existsSync(final)) return discard();
          // A new shard folder is an entry of the store's folder, which must reach the disk too.
          if (await mkdir(path.dirname(final), { recursive: true })) await syncFolder(this.#dir);
          await renameDurably(tmp, final);
        },
        discard: async () => {
          if (settled) return;
          settled = true;
          await discard();
        },
      };
    } catch (err) {
      await discard();
      throw err;
    }
  }

  /** Stages and keeps a file at once (the demo seed's own files). */
  async put(source: Readable, maxBytes: number): Promise<Digests> {
    const staged = await this.stage(source, maxBytes);
    await staged.keep();
    return { sha256: staged.sha256, sm3: staged.sm3, sizeBytes: staged.sizeBytes };
  }

  async open(sha256: string): Promise<{ stream: Readable; sizeBytes: number } | undefined> {
    const file = this.pathOf(sha256);
    try {
      const s = await stat(file);
      return { stream: createReadStream(file), sizeBytes: s.size };
    } catch {
      return undefined;
    }
  }

  /** Staging files another process left (a gateway that died mid-upload) are removed once, before the first upload. */
  #sweepOnce(): Promise<void> {
    this.#swept ??= (async () => {
      const staging = path.join(this.#dir, STAGING);
      const names = await readdir(staging).catch(() => [] as string[]);
      const mine = `${process.pid}-`;
      await Promise.all(names.filter((n) => !n.startsWith(mine)).map((n) => rm(path.join(staging, n), { force: true })));
    })();
    return this.#swept;
  }
}
