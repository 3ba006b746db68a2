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
      return app.inject({ method, url, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers }, ...(body !== undefined ? { payload: body as never } : {}) });
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
