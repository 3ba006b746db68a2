import { TransactionDefinition } from '../../chaincode/src/kernel/transaction';
import { tx } from '../../chaincode/src/catalogue';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { FabricLedger } from '../../gateway-api/src/ledger/fabric/fabric-ledger';
import { openFabric } from '../../gateway-api/src/ledger/fabric/open-fabric';
import { Ledger, LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { openLedgerFixture } from '../support/ledger-fixture';
import { LedgerError } from '../../gateway-api/src/ledger/errors';
import { COUNTY_NAMES, creditCode, DIVISION, governmentCode } from '../support/market-world';
import { DEFAULT_PARAMETERS } from '../../chaincode/src/parameters/parameters';
import { removeDir, runId, uniqueSerial } from './fabric-fixture';
import { readPeerState } from './peer-state';

const LIANGDANG = 'LiangdangMSP';
const HUIXIAN = 'HuixianMSP';
const FENGXIAN = 'FengxianMSP';
const CHAINCODE = 'countyledger';

/** What a scenario needs from a ledger: identities by county and member name, and the Ledger port. */
interface Driver {
  readonly ledger: Ledger;
  identity(mspId: string, member: string): Promise<LedgerIdentity>;
}

/**
 * Values that differ between two runs by construction, in the order the scenario met them: each
 * transaction ID (and its first 32 characters, which asset/order/alert IDs are made of) and the
 * digests of documents that contain them (the settled deal).
 */
interface RunTokens {
  readonly tokens: string[];
  readonly touched: string[];
}

/**
 * One scripted scenario through the Ledger port: role grants in three counties, enterprise and
 * individual subjects, access, merchant bindings, certification evidence, an eco asset, a
 * cross-county order, verification and settlement (ownership transfer + deal evidence); then
 * IP co-ownership by consent (a license refused until the co-owner accepts, a vote, a
 * withdrawal, a declined registration) and a derivative listed under the license; then shared
 * parameters changed by a majority of the counties (and put back, for the suites that run after
 * this one on the same network).
 */
async function scenario(d: Driver, names: { run: string; seller: string; buyer: string; idHash: string }): Promise<RunTokens> {
  const tokens: string[] = [];
  const touched: string[] = [names.run, names.seller, names.buyer, names.idHash];
  const submit = async (who: LedgerIdentity, definition: TransactionDefinition, input: unknown, transient?: Record<string, string>) => {
    const r = await d.ledger.submit(who, {
      name: definition.qualifiedName,
      args: [JSON.stringify(input)],
      ...(transient ? { transient: Object.fromEntries(Object.entries(transient).map(([k, v]) => [k, Buffer.from(v)])) } : {}),
    });
    tokens.push(r.txId);
    return r.payload.length ? JSON.parse(r.payload.toString('utf8')) : null;
  };
  const m = (s: string) => `${s}-${names.run}`;
  const admins = {
    [LIANGDANG]: await d.identity(LIANGDANG, 'admin'),
    [HUIXIAN]: await d.identity(HUIXIAN, 'admin'),
    [FENGXIAN]: await d.identity(FENGXIAN, 'admin'),
  };
  const grant = async (msp: keyof typeof admins, member: string, role: string) => {
    await submit(admins[msp], tx.membership.grantRole, { member, role });
    return d.identity(msp, member);
  };
  const regLd = await grant(LIANGDANG, m('reg-ld'), 'regulator');
  const regHx = await grant(HUIXIAN, m('reg-hx'), 'regulator');
  const regFx = await grant(FENGXIAN, m('reg-fx'), 'regulator');
  const shopLd = await grant(LIANGDANG, m('shop-ld'), 'merchant');
  const shopHx = await grant(HUIXIAN, m('shop-hx'), 'merchant');
  const verifier = await grant(FENGXIAN, m('verifier'), 'verifier');
  await grant(FENGXIAN, m('temp'), 'auditor');
  await submit(admins[FENGXIAN], tx.membership.revokeRole, { member: m('temp'), role: 'auditor' });

  await submit(regLd, tx.subjects.registerEnterprise, { creditCode: names.seller, name: `seller ${names.run}` });
  await submit(regHx, tx.subjects.registerEnterprise, { creditCode: names.buyer, name: `buyer ${names.run}` });
  await submit(regLd, tx.subjects.setAccess, { subjectId: names.seller, status: 'orange', tradeLimitFen: 50_000, evidenceRefs: ['doc:first-review'] });
  await submit(regLd, tx.subjects.setAccess, { subjectId: names.seller, status: 'green', evidenceRefs: ['doc:annual-review'] });
  await submit(regHx, tx.subjects.setAccess, { subjectId: names.buyer, status: 'green', evidenceRefs: ['doc:hx-review'] });
  await submit(regLd, tx.subjects.bindMerchant, { subjectId: names.seller, member: m('shop-ld') });
  await submit(regHx, tx.subjects.bindMerchant, { subjectId: names.buyer, member: m('shop-hx') });
  // an individual of Fengxian: personal data only in FengxianMSP-private
  await submit(regFx, tx.subjects.registerIndividual, { idHash: names.idHash }, { idNumber: '61033019800101123X', name: `person ${names.run}` });

  const certSha = createHash('sha256').update(`soil ${names.run}`).digest('hex');
  touched.push(certSha);
  await submit(shopLd, tx.evidence.anchor, {
    sha256: certSha,
    sm3: createHash('sm3').update(`soil ${names.run}`).digest('hex'),
    sizeBytes: 2048,
    mediaType: 'application/pdf',
    refs: { subjectIds: [names.seller] },
  });
  const asset = await submit(shopLd, tx.market.registerAsset, {
    ownerSubjectId: names.seller,
    kind: 'eco-product',
    title: 'Wild honey',
    category: `honey-${names.run}`,
    costFen: 100_000,
    priceFen: 130_000,
    evidenceRefs: ['doc:production'],
    certifications: [{ kind: 'soil-test', sha256: certSha }],
  });
  const order = await submit(shopHx, tx.market.placeOrder, {
    assetId: asset.id,
    buyerSubjectId: names.buyer,
    depositFen: 20_000,
    depositPaymentRef: 'pay:dep',
  });
  await submit(verifier, tx.market.recordVerification, { orderId: order.id, result: 'pass', evidenceRefs: ['doc:inspection'] });
  const settled = await submit(shopHx, tx.market.settleOrder, { orderId: order.id, paymentRef: 'pay:bal' });
  tokens.push(settled.settlement.evidenceSha256, settled.settlement.evidenceSm3);

  // IP co-ownership by consent: Liangdang registers naming Huixian; no license until Huixian accepts.
  const ip = await submit(regLd, tx.ip.registerIp, {
    title: `Paper-cut ${names.run}`,
    kind: 'intangible-heritage',
    owners: [
      { county: LIANGDANG, shareBp: 6000 },
      { county: HUIXIAN, shareBp: 4000 },
    ],
    proofEvidenceRefs: ['doc:heritage-listing'],
  });
  const licenseTerms = {
    ipId: ip.id,
    licenseeSubjectId: names.seller,
    categories: [`paper-cut-${names.run}`],
    territory: [LIANGDANG],
    termFrom: '2026-01-01',
    termTo: '2099-12-31',
    exclusive: false,
    royaltyRateBp: 400,
  };
  const refusal = await submit(shopLd, tx.ip.requestLicense, licenseTerms).then(
    () => 'OK',
    (err: unknown) => (err instanceof LedgerError ? err.code : String(err)),
  );
  expect(refusal, 'a license of an IP awaiting consent').to.equal('CONFLICT');
  await submit(regHx, tx.ip.acceptShare, { ipId: ip.id, note: 'accepted' });
  const license = await submit(shopLd, tx.ip.requestLicense, licenseTerms);
  await submit(regHx, tx.ip.rejectLicense, { licenseId: license.id, reason: 'terms to be discussed' });
  await submit(regLd, tx.ip.approveLicense, { licenseId: license.id });
  const withdrawn = await submit(shopLd, tx.ip.requestLicense, { ...licenseTerms, territory: [HUIXIAN] });
  await submit(shopLd, tx.ip.withdrawLicense, { licenseId: withdrawn.id, reason: 'not needed' });
  await submit(shopLd, tx.market.registerAsset, {
    ownerSubjectId: names.seller,
    kind: 'ip-derivative',
    title: 'Paper-cut bookmarks',
    category: `paper-cut-${names.run}`,
    costFen: 500,
    priceFen: 1200,
    licenseRef: license.id,
  });
  const proposal = await submit(regHx, tx.ip.registerIp, {
    title: `Liangdang brand ${names.run}`,
    kind: 'geographic-indication',
    owners: [{ county: LIANGDANG, shareBp: 10000 }],
    proofEvidenceRefs: ['doc:gi'],
  });
  await submit(regLd, tx.ip.declineShare, { ipId: proposal.id, reason: 'not applied for' });

  // shared parameters: Liangdang proposes, Huixian's approval adopts; a proposal withdrawn; put back by Fengxian and Liangdang
  const change = await submit(regLd, tx.parameters.propose, { changes: { pairTradeLimit: 5, maxPublicationMonths: { minor: 24 } }, note: 'differential' });
  await submit(regHx, tx.parameters.approve, { proposalId: change.id });
  const dropped = await submit(regHx, tx.parameters.propose, { changes: { paymentDays: 9 }, note: 'dropped' });
  await submit(regHx, tx.parameters.withdraw, { proposalId: dropped.id, note: 'not needed' });
  const restore = await submit(regFx, tx.parameters.propose, {
    changes: { pairTradeLimit: DEFAULT_PARAMETERS.pairTradeLimit, maxPublicationMonths: { minor: DEFAULT_PARAMETERS.maxPublicationMonths.minor } },
    note: 'restore',
  });
  await submit(regLd, tx.parameters.approve, { proposalId: restore.id });
  return { tokens, touched };
}

/**
 * Setup outside the scenario (its transactions are not the scenario's): the three counties registered,
 * as enterprises are registered only by the county of their code's division. A Fabric network kept
 * from other suites holds them already; the embedded run's setup keys are left out of the comparison.
 */
async function registerCounties(d: Driver): Promise<void> {
  for (const msp of [LIANGDANG, HUIXIAN, FENGXIAN]) {
    const admin = await d.identity(msp, 'admin');
    try {
      await d.ledger.evaluate(admin, { name: tx.counties.get.qualifiedName, args: [JSON.stringify({ mspId: msp })] });
      continue;
    } catch (err) {
      if (!(err instanceof LedgerError && err.code === 'NOT_FOUND')) throw err;
    }
    const county = { name: COUNTY_NAMES[msp], division: DIVISION[msp], creditCode: governmentCode(msp) };
    await d.ledger.submit(admin, { name: tx.counties.register.qualifiedName, args: [JSON.stringify(county)] });
  }
}

/** Replaces run-specific values with placeholders: tokens by position, then timestamps and dates. */
function normaliser(run: RunTokens): (s: string) => string {
  const pairs: Array<[string, string]> = [];
  run.tokens.forEach((t, i) => {
    pairs.push([t, `<tok${i}>`]);
    if (t.length > 32) pairs.push([t.slice(0, 32), `<tok${i}:32>`]);
  });
  return (s) => {
    let out = s;
    for (const [from, to] of pairs) out = out.split(from).join(to);
    return out
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
      .replace(/\d{4}-\d{2}-\d{2}/g, '<date>')
      .replace(/\b1\d{12}\b/g, '<epoch-ms>') // times in milliseconds (risk windows)
      .replace(/\b8\d{12}\b/g, '<inverted-ms>') // 9999999999999 − ms: keys of newest-first entries (kernel/recent-entries.ts)
      .replace(/"hour":\d+/g, '"hour":<hour>');
  };
}

const readable = (k: string) => k.replace(/\u0000/g, '∅');

describe('on Fabric: differential test — the same scenario on the embedded ledger and on Fabric leaves the same world state', function () {
  this.timeout(300_000);

  it('key by key, after normalising transaction IDs, the IDs made from them, deal digests and timestamps', async () => {
    const names = {
      run: `diff${runId}`,
      seller: creditCode('621228', uniqueSerial()),
      buyer: creditCode('621227', uniqueSerial()),
      idHash: createHash('sha256').update(`person ${runId}`).digest('hex'),
    };

    // ---- embedded ----
    const embedded = await openLedgerFixture();
    let embeddedRun: RunTokens;
    let embeddedDump: Awaited<ReturnType<typeof embedded.ledger.store.dumpState>>;
    let embeddedSetup: Awaited<ReturnType<typeof embedded.ledger.store.dumpState>>;
    try {
      const driver: Driver = { ledger: embedded.ledger, identity: (msp, member) => embedded.identity(msp, member) };
      await registerCounties(driver);
      embeddedSetup = await embedded.ledger.store.dumpState();
      embeddedRun = await scenario(driver, names);
      embeddedDump = await embedded.ledger.store.dumpState();
    } finally {
      await embedded.cleanup();
    }

    // ---- Fabric (through Liangdang's peer) ----
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-diff-'));
    const { ledger, network } = await openFabricWithNetwork(dir);
    // each county's members' keys are in that county's own wallet (a county's gateway holds no
    // other county's keys); the scenario goes through Liangdang's peer with each member's own key
    const wallets = Object.fromEntries(
      await Promise.all([LIANGDANG, HUIXIAN, FENGXIAN].map(async (msp) => [msp, await openFabric(dir, { ...process.env, FABRIC_MSP_ID: msp })] as const)),
    );
    let fabricRun: RunTokens;
    let target: number;
    try {
      const driver: Driver = {
        ledger,
        identity: async (msp, member) => {
          const wallet = wallets[msp]!.wallet;
          await wallet.issue(msp, member, member.startsWith('admin') ? 'admin' : 'client');
          return wallet.ledgerIdentity(msp, member);
        },
      };
      await registerCounties(driver);
      fabricRun = await scenario(driver, names);
      target = await ledger.height();
    } finally {
      await ledger.close();
      for (const w of Object.values(wallets)) await w.ledger.close();
    }
    // Fengxian's peer did not serve the scenario; wait until it has committed every block of it
    const fx = await openFabric(dir, { ...process.env, FABRIC_MSP_ID: FENGXIAN });
    try {
      const until = Date.now() + 30_000;
      while ((await fx.ledger.height()) < target && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      expect(await fx.ledger.height()).to.be.at.least(target);
    } finally {
      await fx.ledger.close();
      removeDir(dir);
    }
    const fabric = await readPeerState('fengxian-peer', network.channel);

    expect(embeddedRun.tokens.length).to.equal(fabricRun.tokens.length);
    const normE = normaliser(embeddedRun);
    const normF = normaliser(fabricRun);

    // public state: every key the embedded run wrote (a fresh ledger: the scenario's keys only).
    // Shared aggregates (today's trade volume per origin county, category indexes) are compared
    // whole, so no suite that settles trades may run before this one: .mocharc.fabric.json sorts
    // the spec files, and blacklist/cli-and-events, which sort earlier, settle nothing. Likewise the
    // shared parameters: no suite sorting earlier changes one.
    const expected = new Map<string, string>();
    for (const [k, v] of embeddedDump.state) {
      if (embeddedSetup.state.get(k)?.equals(v)) continue; // written by the setup, not by the scenario
      expected.set(normE(k), normE(v.toString('utf8')));
    }
    const publicNs = fabric.namespaces.get(CHAINCODE) ?? new Map<string, Buffer>();
    const actual = new Map<string, string>();
    for (const [rawKey, v] of publicNs) {
      const k = Buffer.from(rawKey, 'latin1').toString('utf8');
      // the network is shared with other suites: take the keys that belong to this run (they name
      // one of its members, subjects, IDs or digests), which must then be exactly the expected ones
      const value = v.toString('utf8');
      const mine = [...fabricRun.touched, ...fabricRun.tokens.flatMap((t) => [t, t.slice(0, 32)])].some((t) => k.includes(t) || value.includes(t));
      if (mine || expected.has(normF(k))) actual.set(normF(k), normF(value));
    }
    const missing = [...expected.keys()].filter((k) => !actual.has(k)).map(readable);
    const extra = [...actual.keys()].filter((k) => !expected.has(k)).map(readable);
    const differing = [...expected.keys()]
      .filter((k) => actual.has(k) && actual.get(k) !== expected.get(k))
      .map((k) => `${readable(k)}\n  embedded: ${expected.get(k)}\n  fabric:   ${actual.get(k)}`);
    expect(missing, 'keys only on the embedded ledger').to.deep.equal([]);
    expect(extra, 'keys only on Fabric').to.deep.equal([]);
    expect(differing, 'values that differ').to.deep.equal([]);
    expect(expected.size).to.be.greaterThan(40);

    // private data: Fengxian's peer holds FengxianMSP-private, with the same key and value
    const collection = `${FENGXIAN}-private`;
    const embeddedPrivate = embeddedDump.private.get(collection) ?? new Map<string, Buffer>();
    expect(embeddedPrivate.size).to.equal(1);
    const fabricPrivate = fabric.namespaces.get(`${CHAINCODE}$$p${collection}`) ?? new Map<string, Buffer>();
    for (const [k, v] of embeddedPrivate) {
      const onFabric = fabricPrivate.get(Buffer.from(k, 'utf8').toString('latin1'));
      expect(onFabric, `private ${readable(k)} on Fengxian's peer`).to.not.equal(undefined);
      expect(normF(onFabric!.toString('utf8'))).to.equal(normE(v.toString('utf8')));
      // and the hashes every peer keeps: SHA-256 of key and of value
      const hashed = fabric.namespaces.get(`${CHAINCODE}$$h${collection}`)?.get(createHash('sha256').update(k).digest().toString('latin1'));
      expect(hashed?.equals(createHash('sha256').update(onFabric!).digest()), 'private data hash').to.equal(true);
    }
    // no other county's collection is stored on Fengxian's peer
    expect([...fabric.namespaces.keys()].filter((ns) => ns.startsWith(`${CHAINCODE}$$p`) && !ns.endsWith(collection))).to.deep.equal([]);
  });
});

async function openFabricWithNetwork(
  dir: string,
): Promise<{ ledger: FabricLedger; wallet: Awaited<ReturnType<typeof openFabric>>['wallet']; network: { channel: string } }> {
  const opened = await openFabric(dir, { ...process.env, FABRIC_MSP_ID: LIANGDANG });
  const { loadNetworkDescription } = await import('../../gateway-api/src/ledger/fabric/network-description');
  const network = loadNetworkDescription(process.env.FABRIC_NETWORK ?? path.resolve('network/run/network.json'));
  return { ledger: opened.ledger, wallet: opened.wallet, network };
}
