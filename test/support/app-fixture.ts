import { tx } from '../../chaincode/src/catalogue';
import path from 'node:path';
import { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { MessageChannel } from 'node:worker_threads';
import { AppSettings, buildApp } from '../../gateway-api/src/app';
import { hostLedger } from '../../gateway-api/src/ledger/remote/ledger-host';
import { RemoteLedger } from '../../gateway-api/src/ledger/remote/remote-ledger';
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

export async function openAppFixture(
  options: LedgerFixtureOptions & { maxEvidenceBytes?: number; overMessagePort?: boolean; settings?: AppSettings } = {},
): Promise<AppFixture> {
  const ledger = await openLedgerFixture(options);
  // overMessagePort: the app reaches the ledger through RemoteLedger/hostLedger, as main.ts's HTTP worker does.
  let remote: { port: RemoteLedger; host: { close(): void } } | undefined;
  if (options.overMessagePort) {
    const { port1, port2 } = new MessageChannel();
    remote = { host: hostLedger(ledger.ledger, port1), port: new RemoteLedger(port2, 'embedded') };
  }
  const keys = await ApiKeyStore.open(path.join(ledger.dir, 'api-keys.json'));
  const app = await buildApp({
    ledger: remote ? remote.port : ledger.ledger,
    keys,
    identities: ledger.wallet,
    stateDir: path.join(ledger.dir, 'gateway'),
    ...(options.maxEvidenceBytes ? { maxEvidenceBytes: options.maxEvidenceBytes } : {}),
    ...options.settings,
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
        await ledger.ledger.submit(admin, { name: tx.membership.grantRole.qualifiedName, args: [JSON.stringify({ member, role })] });
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
      if (remote) {
        await remote.port.close();
        remote.host.close();
      }
      await ledger.cleanup();
    },
  };
}
