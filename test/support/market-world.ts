import { createHash } from 'node:crypto';
import { TransactionDefinition } from '../../chaincode/src/kernel/transaction';
import { answerOf } from '../../gateway-api/src/ledger/calls';
import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { buildCreditCode } from '../../chaincode/src/kernel/credit-code';
import { LedgerError } from '../../gateway-api/src/ledger/errors';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { FENGXIAN, HUIXIAN, LIANGDANG, LedgerFixture, openLedgerFixture } from './ledger-fixture';

/** A valid unified social credit code for a division and a serial number. */
export function creditCode(division: string, serial: number): string {
  return buildCreditCode('91', division, serial);
}

/** The same code with a wrong check character. */
export function corruptCreditCode(code: string): string {
  const last = code.charAt(17);
  return code.slice(0, 17) + (last === '0' ? '1' : '0');
}

export function hex64(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/**
 * Moves the embedded ledger's clock (proposal timestamps come from Date.now) so
 * deadlines and windows can be tested; restore() puts the real clock back.
 */
export function useClock(): { advanceMs(ms: number): void; advanceDays(days: number): void; restore(): void } {
  const realNow = Date.now;
  let offset = 0;
  Date.now = () => realNow() + offset;
  return {
    advanceMs: (ms) => {
      offset += ms;
    },
    advanceDays: (days) => {
      offset += days * 24 * 3600 * 1000;
    },
    restore: () => {
      Date.now = realNow;
    },
  };
}

export type Who = LedgerIdentity;

/** A fresh embedded ledger with helpers for calling the County Ledger contracts by JSON. */
export class World {
  readonly f: LedgerFixture;
  readonly #admins = new Map<string, Who>();

  private constructor(f: LedgerFixture) {
    this.f = f;
  }

  static async open(): Promise<World> {
    return new World(await openLedgerFixture());
  }

  /** A World over an existing fixture (e.g. an app fixture's ledger); the fixture's owner cleans it up. */
  static over(f: LedgerFixture): World {
    return new World(f);
  }

  async cleanup(): Promise<void> {
    await this.f.cleanup();
  }

  id(mspId: string, member: string): Promise<Who> {
    return this.f.identity(mspId, member);
  }

  async submit(who: Who, definition: TransactionDefinition, input?: unknown, transient?: Record<string, string>): Promise<any> {
    const args = input === undefined ? [] : [typeof input === 'string' ? input : JSON.stringify(input)];
    const t = transient ? Object.fromEntries(Object.entries(transient).map(([k, v]) => [k, Buffer.from(v, 'utf8')])) : undefined;
    const r = await this.f.ledger.submit(who, { name: definition.qualifiedName, args, ...(t ? { transient: t } : {}) });
    return answerOf(definition, r.payload);
  }

  /** Submits and answers with the transaction ID, block number and the event the transaction emitted. */
  async submitTx(
    who: Who,
    definition: TransactionDefinition,
    input?: unknown,
  ): Promise<{ txId: string; blockNumber: number; result: any; event: { name: string; payload: any } | null }> {
    const args = input === undefined ? [] : [JSON.stringify(input)];
    const r = await this.f.ledger.submit(who, { name: definition.qualifiedName, args });
    const block = await this.f.ledger.getBlock(r.blockNumber);
    const tx = block?.data.find((t) => t.txId === r.txId);
    const event = tx?.event ? { name: tx.event.name, payload: JSON.parse(Buffer.from(tx.event.payload, 'base64').toString('utf8')) } : null;
    return { txId: r.txId, blockNumber: r.blockNumber, result: answerOf(definition, r.payload), event };
  }

  async submitRaw(who: Who, definition: TransactionDefinition, args: string[]): Promise<any> {
    const r = await this.f.ledger.submit(who, { name: definition.qualifiedName, args });
    return r.payload.length ? JSON.parse(r.payload.toString('utf8')) : null;
  }

  async evaluate(who: Who, definition: TransactionDefinition, input?: unknown): Promise<any> {
    const args = input === undefined ? [] : [JSON.stringify(input)];
    const payload = await this.f.ledger.evaluate(who, { name: definition.qualifiedName, args });
    return answerOf(definition, payload);
  }

  async admin(mspId: string): Promise<Who> {
    let a = this.#admins.get(mspId);
    if (!a) {
      a = await this.id(mspId, `admin-${mspId.toLowerCase()}`);
      this.#admins.set(mspId, a);
    }
    return a;
  }

  /** Issues an identity and has its county admin grant it the given roles. */
  async member(mspId: string, name: string, ...roles: string[]): Promise<Who> {
    const who = await this.id(mspId, name);
    for (const role of roles) await this.submit(await this.admin(mspId), tx.membership.grantRole, { member: name, role });
    return who;
  }

  /** Every key and value of world state, for "nothing was written" checks. */
  async worldState(): Promise<Map<string, string>> {
    const it = this.f.ledger.store.stateIterator('', '');
    const out = new Map<string, string>();
    try {
      for (;;) {
        // LevelDB answers a batch of at most ~16 KiB, whatever was asked: only an empty one is the end.
        const rows = await it.next(500);
        if (rows.length === 0) break;
        for (const [k, v] of rows) out.set(k, v.toString('hex'));
      }
    } finally {
      await it.close();
    }
    return out;
  }

  /** Runs a call that must be refused with `code` and asserts that neither world state nor the chain changed. */
  async expectRefused(code: string, call: () => Promise<unknown>, messagePart?: string | RegExp): Promise<LedgerError> {
    const heightBefore = await this.f.ledger.height();
    const stateBefore = await this.worldState();
    let caught: unknown;
    try {
      await call();
    } catch (err) {
      caught = err;
    }
    expect(caught, `expected a ${code} refusal`).to.be.instanceOf(LedgerError);
    const err = caught as LedgerError;
    expect(err.code, err.message).to.equal(code);
    if (messagePart !== undefined) expect(err.message).to.match(typeof messagePart === 'string' ? new RegExp(escapeRegExp(messagePart)) : messagePart);
    expect(await this.f.ledger.height(), 'ledger height after a refusal').to.equal(heightBefore);
    expect(await this.worldState(), 'world state after a refusal').to.deep.equal(stateBefore);
    return err;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const DIVISION: Record<string, string> = { [LIANGDANG]: '621228', [HUIXIAN]: '621227', [FENGXIAN]: '610330' };
export const COUNTY_NAMES: Record<string, string> = { [LIANGDANG]: 'Liangdang County', [HUIXIAN]: 'Huixian County', [FENGXIAN]: 'Fengxian County' };

/** The credit code of a county's government (机关, category 11), as registered with the county. */
export function governmentCode(mspId: string): string {
  return buildCreditCode('11', DIVISION[mspId] ?? '621228', 1);
}

const registeredCounties = new WeakMap<World, Set<string>>();

/**
 * Registers a default county (its admin, Counties:Register with its division and government credit
 * code) unless it is registered already: enterprises are registered only by the county of their
 * code's division, which the ledger reads from the county record.
 */
export async function ensureCounty(w: World, mspId: string): Promise<void> {
  const known = registeredCounties.get(w) ?? new Set<string>();
  registeredCounties.set(w, known);
  if (known.has(mspId)) return;
  const admin = await w.admin(mspId);
  const { items } = await w.evaluate(admin, tx.counties.list);
  if (!items.some((c: { mspId: string }) => c.mspId === mspId)) {
    await w.submit(admin, tx.counties.register, {
      name: COUNTY_NAMES[mspId] ?? mspId,
      division: DIVISION[mspId] ?? '621228',
      creditCode: governmentCode(mspId),
    });
  }
  known.add(mspId);
}

/** ensureCounty for each of the default counties. */
export async function ensureCounties(w: World, counties: readonly string[] = [LIANGDANG, HUIXIAN, FENGXIAN]): Promise<void> {
  for (const mspId of counties) await ensureCounty(w, mspId);
}

/**
 * The standard market cast: seller enterprise in Liangdang (A) with merchant m-seller,
 * buyer enterprise in Huixian (B) with merchant m-buyer, a verifier in Fengxian (C),
 * regulators in every county; both subjects green.
 */
export interface MarketCast {
  readonly w: World;
  readonly regA: Who;
  readonly regB: Who;
  readonly regC: Who;
  readonly sellerMerchant: Who;
  readonly buyerMerchant: Who;
  readonly verifier: Who;
  readonly seller: string;
  readonly buyer: string;
  /** Anchored certification evidence (SHA-256) the seller's eco products refer to. */
  readonly certSha: string;
}

let serial = 1;

export async function registerEnterprise(
  w: World,
  regulator: Who,
  mspId: string,
  status?: 'green' | 'orange' | 'red',
  tradeLimitFen?: number,
): Promise<string> {
  const code = creditCode(DIVISION[mspId] ?? '621228', serial++);
  await ensureCounty(w, mspId);
  await w.submit(regulator, tx.subjects.registerEnterprise, { creditCode: code, name: `Enterprise ${code}` });
  if (status)
    await w.submit(regulator, tx.subjects.setAccess, { subjectId: code, status, evidenceRefs: ['doc:review-1'], ...(tradeLimitFen ? { tradeLimitFen } : {}) });
  return code;
}

export async function marketCast(w: World): Promise<MarketCast> {
  await ensureCounties(w);
  const regA = await w.member(LIANGDANG, 'reg-a', 'regulator');
  const regB = await w.member(HUIXIAN, 'reg-b', 'regulator');
  const regC = await w.member(FENGXIAN, 'reg-c', 'regulator');
  const sellerMerchant = await w.member(LIANGDANG, 'm-seller', 'merchant');
  const buyerMerchant = await w.member(HUIXIAN, 'm-buyer', 'merchant');
  const verifier = await w.member(FENGXIAN, 'verifier-c', 'verifier');
  const seller = await registerEnterprise(w, regA, LIANGDANG, 'green');
  const buyer = await registerEnterprise(w, regB, HUIXIAN, 'green');
  await w.submit(regA, tx.subjects.bindMerchant, { subjectId: seller, member: 'm-seller' });
  await w.submit(regB, tx.subjects.bindMerchant, { subjectId: buyer, member: 'm-buyer' });
  const certSha = hex64(`soil test ${seller}`);
  await w.submit(sellerMerchant, tx.evidence.anchor, {
    sha256: certSha,
    sm3: hex64(`sm3 ${certSha}`),
    sizeBytes: 2048,
    mediaType: 'application/pdf',
    refs: { subjectIds: [seller] },
  });
  return { w, regA, regB, regC, sellerMerchant, buyerMerchant, verifier, seller, buyer, certSha };
}

export function ecoAsset(c: MarketCast, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ownerSubjectId: c.seller,
    kind: 'eco-product',
    title: 'Liangdang wild honey, 100 jars',
    category: 'honey',
    costFen: 100_000,
    priceFen: 130_000,
    evidenceRefs: ['doc:production-2024-01'],
    certifications: [{ kind: 'soil-test', sha256: c.certSha }],
    ...overrides,
  };
}

export async function listEco(c: MarketCast, overrides: Record<string, unknown> = {}): Promise<any> {
  return c.w.submit(c.sellerMerchant, tx.market.registerAsset, ecoAsset(c, overrides));
}

export async function order(c: MarketCast, assetId: string, depositFen = 10_000, who: Who = c.buyerMerchant, buyer: string = c.buyer): Promise<any> {
  return c.w.submit(who, tx.market.placeOrder, { assetId, buyerSubjectId: buyer, depositFen, depositPaymentRef: 'pay:deposit-1' });
}

export async function verify(c: MarketCast, orderId: string, result: 'pass' | 'fail' = 'pass'): Promise<any> {
  return c.w.submit(c.verifier, tx.market.recordVerification, { orderId, result, evidenceRefs: ['doc:inspection-1'] });
}

export async function settle(c: MarketCast, orderId: string, who: Who = c.buyerMerchant): Promise<any> {
  return c.w.submit(who, tx.market.settleOrder, { orderId, paymentRef: 'pay:balance-1' });
}
