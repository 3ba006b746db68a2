import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../gateway-api/src/app';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { FabricLedger } from '../../gateway-api/src/ledger/fabric/fabric-ledger';
import { openFabric } from '../../gateway-api/src/ledger/fabric/open-fabric';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { COUNTY_NAMES, DIVISION, governmentCode } from '../support/market-world';

/** The gateway app on the running Fabric network (FABRIC_NETWORK), talking to one county's peer. */
export interface FabricAppFixture {
  readonly app: FastifyInstance;
  readonly ledger: FabricLedger;
  readonly wallet: Wallet;
  readonly dir: string;
  identity(mspId: string, member: string): Promise<LedgerIdentity>;
  keyFor(mspId: string, member: string): Promise<string>;
  request(method: 'GET' | 'POST' | 'DELETE', url: string, key?: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function openFabricApp(mspId = 'LiangdangMSP', dir = mkdtempSync(path.join(os.tmpdir(), 'cl-fabric-'))): Promise<FabricAppFixture> {
  const { ledger, wallet } = await openFabric(dir, { ...process.env, FABRIC_MSP_ID: mspId });
  const keys = await ApiKeyStore.open(path.join(dir, `api-keys-${mspId}.json`));
  const app = await buildApp({ ledger, keys, identities: wallet, stateDir: path.join(dir, `gateway-${mspId}`) });
  const issued = new Map<string, string>();
  const fixture: FabricAppFixture = {
    app,
    ledger: ledger as FabricLedger,
    wallet,
    dir,
    async identity(msp, member) {
      await wallet.issue(msp, member, member.startsWith('admin') ? 'admin' : 'client');
      return wallet.ledgerIdentity(msp, member);
    },
    async keyFor(msp, member) {
      const k = `${msp}/${member}`;
      let key = issued.get(k);
      if (!key) {
        await fixture.identity(msp, member);
        key = (await keys.create(msp, member)).apiKey;
        issued.set(k, key);
      }
      return key;
    },
    request(method, url, key, body, headers = {}) {
      return app.inject({
        method,
        url,
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
        ...(body !== undefined ? { payload: body as never } : {}),
      });
    },
    async close() {
      await app.close();
      await ledger.close();
    },
  };
  return fixture;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A unique suffix so reruns against the same network never collide. */
export const runId = Date.now().toString(36);

export const COUNTY_MSPS = ['LiangdangMSP', 'HuixianMSP', 'FengxianMSP'] as const;
export type CountyMsp = (typeof COUNTY_MSPS)[number];

/** Each county's own gateway app on its own peer, sharing one wallet folder (as counties share CA roots). */
export interface CountyApps {
  readonly dir: string;
  readonly apps: Record<CountyMsp, FabricAppFixture>;
  close(): Promise<void>;
}

export async function openCountyApps(dir = mkdtempSync(path.join(os.tmpdir(), 'cl-fabric-'))): Promise<CountyApps> {
  const apps = {} as Record<CountyMsp, FabricAppFixture>;
  // one after another: they share the wallet folder
  for (const msp of COUNTY_MSPS) apps[msp] = await openFabricApp(msp, dir);
  return {
    dir,
    apps,
    async close() {
      for (const a of Object.values(apps)) await a.close();
    },
  };
}

let serialCounter = 0;
/**
 * A 9-digit organisation-code serial no earlier run against the same network has used
 * (time-based), so credit codes never collide when the suite is run twice on one network.
 */
export function uniqueSerial(): number {
  return ((Math.floor(Date.now() / 1000) % 10_000_000) * 100 + (serialCounter++ % 100)) % 1_000_000_000;
}

/**
 * Waits until every county's peer has committed the same number of blocks and answers that
 * height. A gateway answers a submit once its own county's peer has committed the transaction;
 * the other peers get the block a moment later, so a read (or a "nothing was written" height
 * check) on another county's peer right after a submit waits for this first.
 */
export async function peersInSync(counties: CountyApps, timeoutMs = 15_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const heights = await Promise.all(COUNTY_MSPS.map((msp) => counties.apps[msp].ledger.height()));
    if (heights.every((h) => h === heights[0])) return heights[0] as number;
    if (Date.now() > until) throw new Error(`the peers did not reach the same height within ${timeoutMs} ms: ${heights.join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Registers each default county through its own gateway (its admin, `POST /counties` with its division
 * and government credit code) unless the network already holds it: enterprises are registered only
 * by the county of their code's division, which the ledger reads from the county record.
 */
export async function ensureCountiesRegistered(counties: CountyApps): Promise<void> {
  for (const msp of COUNTY_MSPS) {
    const app = counties.apps[msp];
    const admin = await app.keyFor(msp, 'admin');
    await peersInSync(counties);
    const known = await app.request('GET', `/api/v1/counties/${msp}`, admin);
    if (known.statusCode === 200) continue;
    if (known.statusCode !== 404) throw new Error(`GET /counties/${msp}: ${known.statusCode} ${known.body}`);
    const r = await app.request('POST', '/api/v1/counties', admin, { name: COUNTY_NAMES[msp], division: DIVISION[msp], creditCode: governmentCode(msp) });
    if (r.statusCode !== 201) throw new Error(`POST /counties as ${msp}: ${r.statusCode} ${r.body}`);
  }
}

/**
 * Requests of the members a suite holds keys for (`keys[who]`: the county's app and the member's
 * key), to `/api/v1…`. Every request first waits for the peers to agree on the height: each
 * county's users act on their own county's peer.
 */
export function countyRequests(counties: () => CountyApps, keys: Readonly<Record<string, { app: FabricAppFixture; key: string }>>) {
  const as = (who: string) => {
    const held = keys[who];
    if (!held) throw new Error(`the suite holds no key for ${who}`);
    return held;
  };
  const post = async (who: string, url: string, body?: unknown) => {
    await peersInSync(counties());
    return as(who).app.request('POST', `/api/v1${url}`, as(who).key, body);
  };
  const get = async (who: string, url: string) => {
    await peersInSync(counties());
    return as(who).app.request('GET', `/api/v1${url}`, as(who).key);
  };
  const created = (res: LightMyRequestResponse) => {
    expect(res.statusCode, res.body).to.equal(201);
    return res.json().result;
  };
  const ok = (res: LightMyRequestResponse) => {
    expect(res.statusCode, res.body).to.equal(200);
    return res.json();
  };
  return { post, get, created, ok };
}
