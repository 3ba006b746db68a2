import path from 'node:path';
import { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../gateway-api/src/app';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { LedgerFixture, openLedgerFixture, LedgerFixtureOptions } from './ledger-fixture';

export interface AppFixture {
  readonly app: FastifyInstance;
  readonly ledger: LedgerFixture;
  readonly keys: ApiKeyStore;
  /** An API key for a member of a county (an identity is issued on first use; "admin*" names are county admins). */
  keyFor(mspId: string, member: string): Promise<string>;
  /** Grants roles through the county admin, directly on the ledger (test setup). */
  grant(mspId: string, member: string, ...roles: string[]): Promise<void>;
  request(method: InjectOptions['method'], url: string, key?: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function openAppFixture(options: LedgerFixtureOptions & { maxEvidenceBytes?: number } = {}): Promise<AppFixture> {
  const ledger = await openLedgerFixture(options);
  const keys = await ApiKeyStore.open(path.join(ledger.dir, 'api-keys.json'));
  const app = await buildApp({
    ledger: ledger.ledger,
    keys,
    identities: ledger.wallet,
    stateDir: path.join(ledger.dir, 'gateway'),
    ...(options.maxEvidenceBytes ? { maxEvidenceBytes: options.maxEvidenceBytes } : {}),
  });
  const issued = new Map<string, string>();
  return {
    app,
    ledger,
    keys,
    async keyFor(mspId, member) {
      const k = `${mspId}/${member}`;
      let key = issued.get(k);
      if (!key) {
        await ledger.identity(mspId, member);
        key = (await keys.create(mspId, member)).apiKey;
        issued.set(k, key);
      }
      return key;
    },
    async grant(mspId, member, ...roles) {
      const admin = await ledger.identity(mspId, 'admin');
      await ledger.identity(mspId, member);
      for (const role of roles) {
        await ledger.ledger.submit(admin, { name: 'Membership:GrantRole', args: [JSON.stringify({ member, role })] });
      }
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
      await ledger.cleanup();
    },
  };
}
