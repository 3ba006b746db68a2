import { hash as digest, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SerialFile } from './atomic-file';

/** Who an API key belongs to: a member of a county, whose ledger identity signs its transactions. */
export interface ApiKeyOwner {
  readonly keyId: string;
  readonly mspId: string;
  readonly member: string;
}

/** What may be shown about a key after its creation: never the secret or its hash. */
export interface ApiKeyInfo {
  readonly keyId: string;
  readonly createdAt: string;
  /** When the key was revoked; null while it is valid. */
  readonly revokedAt: string | null;
}

interface StoredKey extends ApiKeyOwner {
  /** SHA-256 of the secret part; the key itself is never stored. */
  readonly secretHash: string;
  readonly createdAt: string;
  readonly revokedAt?: string;
}

const KEY_PATTERN = /^cl_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * API keys of the form cl_<id>_<secret>. Only a hash of the secret is kept, and it is compared
 * in constant time. Every change is saved before it is answered (saves one at a time, each an
 * atomic replace of the file, see SerialFile); a change whose save fails is undone in memory too.
 * A revoked key stays listed with its revocation time and never authenticates again.
 */
export class ApiKeyStore {
  readonly #file: SerialFile;
  readonly #keys = new Map<string, StoredKey>();

  private constructor(file: string) {
    this.#file = new SerialFile(file);
  }

  static async open(file: string): Promise<ApiKeyStore> {
    const store = new ApiKeyStore(file);
    if (existsSync(file)) for (const k of JSON.parse(await readFile(file, 'utf8')) as StoredKey[]) store.#keys.set(k.keyId, k);
    return store;
  }

  /** Creates a key and returns it in full; this is the only time it can be seen. */
  async create(mspId: string, member: string): Promise<{ apiKey: string; owner: ApiKeyOwner; info: ApiKeyInfo }> {
    const keyId = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const stored: StoredKey = { keyId, mspId, member, secretHash: hash(secret), createdAt: new Date().toISOString() };
    this.#keys.set(keyId, stored);
    try {
      await this.#save();
    } catch (err) {
      this.#keys.delete(keyId);
      throw err;
    }
    return { apiKey: `cl_${keyId}_${secret}`, owner: { keyId, mspId, member }, info: infoOf(stored) };
  }

  authenticate(apiKey: string): ApiKeyOwner | undefined {
    const m = KEY_PATTERN.exec(apiKey);
    if (!m) return undefined;
    const stored = this.#keys.get(m[1] as string);
    const presented = Buffer.from(hash(m[2] as string), 'hex');
    // Compare against a dummy when the id is unknown so timing does not reveal which ids exist.
    const expected = Buffer.from(stored?.secretHash ?? '0'.repeat(64), 'hex');
    const equal = timingSafeEqual(presented, expected);
    return stored && equal && !stored.revokedAt ? { keyId: stored.keyId, mspId: stored.mspId, member: stored.member } : undefined;
  }

  /** The keys of a member, revoked ones included, oldest first. */
  list(mspId: string, member: string): ApiKeyInfo[] {
    return [...this.#keys.values()]
      .filter((k) => k.mspId === mspId && k.member === member)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.keyId.localeCompare(b.keyId))
      .map(infoOf);
  }

  /** A key of this member, or undefined when the member has no key of that ID. */
  find(mspId: string, member: string, keyId: string): ApiKeyInfo | undefined {
    const k = this.#keys.get(keyId);
    return k && k.mspId === mspId && k.member === member ? infoOf(k) : undefined;
  }

  /** Revokes one key of a member; undefined when it has no such key, the key unchanged when already revoked. */
  async revoke(mspId: string, member: string, keyId: string): Promise<{ info: ApiKeyInfo; changed: boolean } | undefined> {
    const k = this.#keys.get(keyId);
    if (!k || k.mspId !== mspId || k.member !== member) return undefined;
    if (k.revokedAt) return { info: infoOf(k), changed: false };
    const [revoked] = await this.#revokeAll([k]);
    return { info: revoked as ApiKeyInfo, changed: true };
  }

  /** Revokes every valid key of a member and answers the keys it revoked. */
  async revokeAllOf(mspId: string, member: string): Promise<ApiKeyInfo[]> {
    return this.#revokeAll([...this.#keys.values()].filter((k) => k.mspId === mspId && k.member === member && !k.revokedAt));
  }

  get size(): number {
    return this.#keys.size;
  }

  async #revokeAll(keys: StoredKey[]): Promise<ApiKeyInfo[]> {
    if (keys.length === 0) return [];
    const revokedAt = new Date().toISOString();
    // Revoked in memory first, so the key stops authenticating at once, even before the save.
    for (const k of keys) this.#keys.set(k.keyId, { ...k, revokedAt });
    try {
      await this.#save();
    } catch (err) {
      for (const k of keys) this.#keys.set(k.keyId, k);
      throw err;
    }
    return keys.map((k) => infoOf({ ...k, revokedAt }));
  }

  #save(): Promise<void> {
    return this.#file.save(() => JSON.stringify([...this.#keys.values()], null, 1));
  }
}

function infoOf(k: StoredKey): ApiKeyInfo {
  return { keyId: k.keyId, createdAt: k.createdAt, revokedAt: k.revokedAt ?? null };
}

function hash(secret: string): string {
  return digest('sha256', secret, 'hex');
}
