import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

/**
 * Content-addressed file store: a file lives at blobs/<sha256[0:2]>/<sha256>.
 * A file is streamed to a temporary name while its digests are computed, then
 * renamed into place, so a reader never sees a partial file.
 */
export class BlobStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  pathOf(sha256: string): string {
    return path.join(this.#dir, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /** Stores a stream; refuses an empty file and one over `maxBytes`. */
  async put(source: Readable, maxBytes: number): Promise<Digests & { alreadyStored: boolean }> {
    await mkdir(path.join(this.#dir, 'tmp'), { recursive: true });
    const tmp = path.join(this.#dir, 'tmp', `${process.pid}-${randomBytes(8).toString('hex')}`);
    const digesting = new DigestingStream(maxBytes);
    try {
      await pipeline(source, digesting, createWriteStream(tmp, { mode: 0o600 }));
      const digests = digesting.digests();
      if (digests.sizeBytes === 0) throw new ApiError('INVALID_ARGUMENT', 'the file is empty');
      const final = this.pathOf(digests.sha256);
      if (existsSync(final)) {
        await rm(tmp, { force: true });
        return { ...digests, alreadyStored: true };
      }
      await mkdir(path.dirname(final), { recursive: true });
      await rename(tmp, final);
      return { ...digests, alreadyStored: false };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
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
}
