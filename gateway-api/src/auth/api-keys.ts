import { hash as digest, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';

/** Who an API key belongs to: a member of a county, whose ledger identity signs its transactions. */
export interface ApiKeyOwner {
  readonly keyId: string;
  readonly mspId: string;
  readonly member: string;
}

interface StoredKey extends ApiKeyOwner {
  /** SHA-256 of the secret part; the key itself is never stored. */
  readonly secretHash: string;
  readonly createdAt: string;
}

const KEY_PATTERN = /^cl_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * API keys of the form cl_<id>_<secret>. Only a hash of the secret is kept, and it
 * is compared in constant time. The file is rewritten atomically on every change.
 */
export class ApiKeyStore {
  readonly #file: string;
  readonly #keys = new Map<string, StoredKey>();

  private constructor(file: string) {
    this.#file = file;
  }

  static async open(file: string): Promise<ApiKeyStore> {
    const store = new ApiKeyStore(file);
    if (existsSync(file)) for (const k of JSON.parse(await readFile(file, 'utf8')) as StoredKey[]) store.#keys.set(k.keyId, k);
    return store;
  }

  /** Creates a key and returns it in full; this is the only time it can be seen. */
  async create(mspId: string, member: string): Promise<{ apiKey: string; owner: ApiKeyOwner }> {
    const keyId = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const stored: StoredKey = { keyId, mspId, member, secretHash: hash(secret), createdAt: new Date().toISOString() };
    this.#keys.set(keyId, stored);
    await this.#save();
    return { apiKey: `cl_${keyId}_${secret}`, owner: { keyId, mspId, member } };
  }

  authenticate(apiKey: string): ApiKeyOwner | undefined {
    const m = KEY_PATTERN.exec(apiKey);
    if (!m) return undefined;
    const stored = this.#keys.get(m[1] as string);
    const presented = Buffer.from(hash(m[2] as string), 'hex');
    // Compare against a dummy when the id is unknown so timing does not reveal which ids exist.
    const expected = Buffer.from(stored?.secretHash ?? '0'.repeat(64), 'hex');
    const equal = timingSafeEqual(presented, expected);
    return stored && equal ? { keyId: stored.keyId, mspId: stored.mspId, member: stored.member } : undefined;
  }

  get size(): number {
    return this.#keys.size;
  }

  async #save(): Promise<void> {
    const tmp = `${this.#file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify([...this.#keys.values()], null, 1), { mode: 0o600 });
    await rename(tmp, this.#file);
  }
}

function hash(secret: string): string {
  return digest('sha256', secret, 'hex');
}
