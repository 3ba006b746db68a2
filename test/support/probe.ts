import { LedgerIdentity, SubmitResult, TransactionRequest } from '../../gateway-api/src/ledger/ledger';
import { json, LedgerFixture, LedgerFixtureOptions, LIANGDANG, openLedgerFixture } from './ledger-fixture';
import { ProbeContract } from './probe-contract';

/** A Probe contract transaction request. */
export function probe(name: string, ...args: string[]): TransactionRequest {
  return { name: `Probe:${name}`, args };
}

export interface ProbeFixture extends LedgerFixture {
  /** A plain (non-admin) member of Liangdang that drives the probe. */
  readonly user: LedgerIdentity;
  submit(name: string, ...args: string[]): Promise<SubmitResult>;
  evaluate(name: string, ...args: string[]): Promise<any>;
  /** The committed value of a key, or null. */
  valueOf(key: string): Promise<string | null>;
}

/** A fresh ledger loaded with the chaincode's contracts and the test-only ProbeContract. */
export async function openProbeFixture(options: LedgerFixtureOptions = {}): Promise<ProbeFixture> {
  const f = await openLedgerFixture({ ...options, extraContracts: [ProbeContract, ...(options.extraContracts ?? [])] });
  const user = await f.identity(LIANGDANG, 'probe-user');
  return Object.assign(f, {
    user,
    submit: (name: string, ...args: string[]) => f.ledger.submit(user, probe(name, ...args)),
    evaluate: async (name: string, ...args: string[]) => {
      const payload = await f.ledger.evaluate(user, probe(name, ...args));
      return payload.length ? json(payload) : undefined;
    },
    valueOf: async (key: string) => json(await f.ledger.evaluate(user, probe('Get', key))).value as string | null,
  });
}
