import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LedgerIdentity } from '../ledger/ledger';
import { Endorser } from '../ledger/embedded/embedded-ledger';
import { CaMaterial, createCountyCa, IdentityMaterial, issueIdentity, privateKeyObject } from './county-ca';
import { County } from './counties';

/**
 * The gateway's store of county CAs and member identities (certificates and keys),
 * kept in DATA_DIR/wallet. Private keys never leave this folder.
 */
export class Wallet {
  readonly #dir: string;
  readonly #cas = new Map<string, CaMaterial>();
  readonly #identities = new Map<string, IdentityMaterial>();
  readonly #ledgerIdentities = new Map<string, LedgerIdentity>();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /**
   * Opens the wallet, creating a CA and an endorsing peer identity for each county that lacks one.
   * `externalCas` supplies a county's CA instead (on Fabric: the CA of the county's MSP), so the
   * identities issued here are valid members of that MSP.
   */
  static async open(dir: string, counties: readonly County[], externalCas: Readonly<Record<string, CaMaterial>> = {}): Promise<Wallet> {
    const wallet = new Wallet(dir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const county of counties) {
      const caFile = path.join(dir, `${county.mspId}.ca.json`);
      let ca: CaMaterial;
      const external = externalCas[county.mspId];
      if (external) {
        ca = external;
        const known = existsSync(caFile) ? (JSON.parse(await readFile(caFile, 'utf8')) as CaMaterial) : undefined;
        if (known && known.certificate !== external.certificate) {
          throw new Error(`wallet ${dir} holds identities of another CA for ${county.mspId}; use a fresh DATA_DIR for this network`);
        }
        if (!known) await writeAtomic(caFile, JSON.stringify(ca));
      } else if (existsSync(caFile)) ca = JSON.parse(await readFile(caFile, 'utf8')) as CaMaterial;
      else {
        ca = await createCountyCa(county.mspId, county.name);
        await writeAtomic(caFile, JSON.stringify(ca));
      }
      wallet.#cas.set(county.mspId, ca);
    }
    const idFile = path.join(dir, 'identities.json');
    if (existsSync(idFile)) {
      for (const id of JSON.parse(await readFile(idFile, 'utf8')) as IdentityMaterial[]) wallet.#identities.set(keyOf(id.mspId, id.member), id);
    }
    for (const county of counties) {
      const peerName = endorsingPeerOf(county.mspId);
      if (!wallet.#identities.has(keyOf(county.mspId, peerName))) await wallet.issue(county.mspId, peerName, 'peer');
    }
    return wallet;
  }

  has(mspId: string, member: string): boolean {
    return this.#identities.has(keyOf(mspId, member));
  }

  /** Issues (or returns the existing) identity for a member of a county. */
  async issue(mspId: string, member: string, ou: 'client' | 'admin' | 'peer'): Promise<IdentityMaterial> {
    const existing = this.#identities.get(keyOf(mspId, member));
    if (existing) return existing;
    const ca = this.#cas.get(mspId);
    if (!ca) throw new Error(`unknown county ${mspId}`);
    const identity = await issueIdentity(ca, member, ou);
    this.#identities.set(keyOf(mspId, member), identity);
    await writeAtomic(path.join(this.#dir, 'identities.json'), JSON.stringify([...this.#identities.values()]));
    return identity;
  }

  ledgerIdentity(mspId: string, member: string): LedgerIdentity {
    const k = keyOf(mspId, member);
    let id = this.#ledgerIdentities.get(k);
    if (!id) {
      const material = this.#identities.get(k);
      if (!material) throw new Error(`no identity for ${member} of ${mspId}`);
      id = { mspId, certificate: material.certificate, privateKey: privateKeyObject(material.privateKey) };
      this.#ledgerIdentities.set(k, id);
    }
    return id;
  }

  trustedCas(): Record<string, string> {
    return Object.fromEntries([...this.#cas].map(([msp, ca]) => [msp, ca.certificate]));
  }

  endorsers(): Record<string, Endorser> {
    const out: Record<string, Endorser> = {};
    for (const msp of this.#cas.keys()) {
      const name = endorsingPeerOf(msp);
      out[msp] = { ...this.ledgerIdentity(msp, name), name };
    }
    return out;
  }
}

/** The endorsing peer identity the embedded ledger signs with for a county, e.g. peer0.liangdang. */
function endorsingPeerOf(mspId: string): string {
  return `peer0.${mspId.replace(/MSP$/, '').toLowerCase()}`;
}

function keyOf(mspId: string, member: string): string {
  return `${mspId}/${member}`;
}

async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, file);
}
