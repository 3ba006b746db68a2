import { mkdir, readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SerialFile, writeFileAtomic } from '../auth/atomic-file';
import { LedgerIdentity } from '../ledger/ledger';
import { Endorser, Ordering } from '../ledger/embedded/embedded-ledger';
import { CaMaterial, createCountyCa, IdentityMaterial, issueIdentity, privateKeyObject } from './county-ca';
import { County } from './counties';

/**
 * The gateway's store of county CAs and member identities (certificates and keys),
 * kept in DATA_DIR/wallet. Private keys never leave this folder.
 */
export class Wallet {
  readonly #cas = new Map<string, CaMaterial>();
  /** The ordering organisations' CAs (embedded ledger only), by ordering MSP ID. */
  readonly #ordererCas = new Map<string, CaMaterial>();
  readonly #dir: string;
  #ordering: Promise<Ordering> | undefined;
  readonly #identities = new Map<string, IdentityMaterial>();
  readonly #ledgerIdentities = new Map<string, LedgerIdentity>();
  /** Identities being issued, so that concurrent issues of one member make one certificate. */
  readonly #issuing = new Map<string, Promise<IdentityMaterial>>();
  readonly #identitiesFile: SerialFile;

  private constructor(dir: string) {
    this.#dir = dir;
    this.#identitiesFile = new SerialFile(path.join(dir, 'identities.json'));
  }

  /**
   * Opens the wallet, creating a CA and an endorsing peer identity for each county that lacks one.
   * `externalCas` supplies a county's CA instead (on Fabric: the CA of the county's MSP), so the
   * identities issued here are valid members of that MSP.
   */
  static async open(dir: string, counties: readonly County[], externalCas: Readonly<Record<string, CaMaterial>> = {}): Promise<Wallet> {
    const wallet = new Wallet(dir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // A wallet holds the keys of the counties it serves and no other county's (on Fabric: one county).
    const served = new Set(counties.flatMap((c) => [c.mspId, orderingOrganisationOf(c.mspId)]));
    for (const f of await readdir(dir)) {
      const msp = /^(.+)\.ca\.json$/.exec(f)?.[1];
      if (msp !== undefined && !served.has(msp)) {
        throw new Error(
          `${path.join(dir, f)} holds the CA private key of ${msp}, which this wallet does not serve (${counties.map((c) => c.mspId).join(', ')}); refusing to start`,
        );
      }
    }
    const idFile = path.join(dir, 'identities.json');
    const held = existsSync(idFile) ? (JSON.parse(await readFile(idFile, 'utf8')) as IdentityMaterial[]) : [];
    for (const id of held) {
      if (!served.has(id.mspId)) {
        throw new Error(
          `${idFile} holds the private key of ${id.member} of ${id.mspId}, which this wallet does not serve (${counties.map((c) => c.mspId).join(', ')}); refusing to start`,
        );
      }
    }
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
        if (!known) await writeFileAtomic(caFile, JSON.stringify(ca));
      } else if (existsSync(caFile)) ca = JSON.parse(await readFile(caFile, 'utf8')) as CaMaterial;
      else {
        ca = await createCountyCa(county.mspId, county.name);
        await writeFileAtomic(caFile, JSON.stringify(ca));
      }
      wallet.#cas.set(county.mspId, ca);
    }
    for (const id of held) wallet.#identities.set(keyOf(id.mspId, id.member), id);
    for (const county of counties) {
      const peerName = endorsingPeerOf(county.mspId);
      if (!wallet.#identities.has(keyOf(county.mspId, peerName))) await wallet.issue(county.mspId, peerName, 'peer');
    }
    return wallet;
  }

  has(mspId: string, member: string): boolean {
    return this.#identities.has(keyOf(mspId, member));
  }

  /** Issues (or returns the existing, or the one being issued) identity for a member of a county. */
  async issue(mspId: string, member: string, ou: 'client' | 'admin' | 'peer' | 'orderer'): Promise<IdentityMaterial> {
    const k = keyOf(mspId, member);
    return this.#identities.get(k) ?? this.#issuing.get(k) ?? this.#issueNew(mspId, member, ou);
  }

  /**
   * Issues an identity for a member that has none and is not being issued one; undefined otherwise.
   * The check and the reservation happen in one step, so of concurrent calls for one member
   * exactly one issues.
   */
  issueNew(mspId: string, member: string, ou: 'client' | 'admin'): Promise<IdentityMaterial> | undefined {
    const k = keyOf(mspId, member);
    if (this.#identities.has(k) || this.#issuing.has(k)) return undefined;
    return this.#issueNew(mspId, member, ou);
  }

  /** Removes a member's identity (to undo an onboarding that failed after its certificate was issued). */
  async remove(mspId: string, member: string): Promise<void> {
    const k = keyOf(mspId, member);
    const material = this.#identities.get(k);
    if (!material) return;
    this.#identities.delete(k);
    this.#ledgerIdentities.delete(k);
    try {
      await this.#saveIdentities();
    } catch (err) {
      this.#identities.set(k, material);
      throw err;
    }
  }

  #issueNew(mspId: string, member: string, ou: 'client' | 'admin' | 'peer' | 'orderer'): Promise<IdentityMaterial> {
    const k = keyOf(mspId, member);
    const ca = this.#cas.get(mspId) ?? (ou === 'orderer' ? this.#ordererCas.get(mspId) : undefined);
    if (!ca) return Promise.reject(new Error(`unknown county ${mspId}`));
    const issuing = (async () => {
      const identity = await issueIdentity(ca, member, ou);
      this.#identities.set(k, identity);
      try {
        await this.#saveIdentities();
      } catch (err) {
        this.#identities.delete(k);
        throw err;
      }
      return identity;
    })().finally(() => this.#issuing.delete(k));
    this.#issuing.set(k, issuing);
    return issuing;
  }

  #saveIdentities(): Promise<void> {
    return this.#identitiesFile.save(() => JSON.stringify([...this.#identities.values()]));
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

  /** The counties whose CA (and members' keys) this wallet holds, in the order it was opened with. */
  servedCounties(): readonly string[] {
    return [...this.#cas.keys()];
  }

  trustedCas(): Record<string, string> {
    return Object.fromEntries([...this.#cas].map(([msp, ca]) => [msp, ca.certificate]));
  }

  /**
   * The embedded ledger's ordering service, made on first use: like the Fabric network, each
   * county has an ordering organisation of its own (LiangdangOrdererMSP, …) with its own CA and an
   * ordering node (orderer0.liangdang, OU orderer); the first served county's node signs the
   * blocks (the embedded ledger has one ordering node, as a Raft cluster has one leader). Only
   * the embedded ledger asks for it: on Fabric the orderers' keys are the network's.
   */
  ordering(): Promise<Ordering> {
    this.#ordering ??= this.#makeOrdering().catch((err: unknown) => {
      this.#ordering = undefined;
      throw err;
    });
    return this.#ordering;
  }

  async #makeOrdering(): Promise<Ordering> {
    const counties = [...this.#cas.values()];
    for (const county of counties) {
      const mspId = orderingOrganisationOf(county.mspId);
      const caFile = path.join(this.#dir, `${mspId}.ca.json`);
      let ca: CaMaterial;
      if (existsSync(caFile)) ca = JSON.parse(await readFile(caFile, 'utf8')) as CaMaterial;
      else {
        ca = await createCountyCa(mspId, `${county.mspId.replace(/MSP$/, '')} ordering service`);
        await writeFileAtomic(caFile, JSON.stringify(ca));
      }
      this.#ordererCas.set(mspId, ca);
      const name = orderingNodeOf(county.mspId);
      if (!this.has(mspId, name)) await this.issue(mspId, name, 'orderer');
    }
    const leader = counties[0];
    if (!leader) throw new Error('the wallet serves no county');
    const mspId = orderingOrganisationOf(leader.mspId);
    const name = orderingNodeOf(leader.mspId);
    return {
      orderer: { ...this.ledgerIdentity(mspId, name), name },
      trustedCas: Object.fromEntries([...this.#ordererCas].map(([msp, ca]) => [msp, ca.certificate])),
    };
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

/** A county's ordering organisation, named as the Fabric network names it (network/counties.json): LiangdangMSP → LiangdangOrdererMSP. */
export function orderingOrganisationOf(mspId: string): string {
  return `${mspId.replace(/MSP$/, '')}OrdererMSP`;
}

/** The ordering node identity of a county's ordering organisation, e.g. orderer0.liangdang. */
function orderingNodeOf(mspId: string): string {
  return `orderer0.${mspId.replace(/MSP$/, '').toLowerCase()}`;
}

function keyOf(mspId: string, member: string): string {
  return `${mspId}/${member}`;
}
