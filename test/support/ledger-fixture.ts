import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contracts } from '../../chaincode/src/index';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { EmbeddedLedger, EmbeddedLedgerOptions } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';

export const LIANGDANG = 'LiangdangMSP';
export const HUIXIAN = 'HuixianMSP';
export const FENGXIAN = 'FengxianMSP';

export interface LedgerFixture {
  readonly dir: string;
  readonly wallet: Wallet;
  readonly ledger: EmbeddedLedger;
  /** A member identity of a county, issued on first use (OU admin when the name starts with "admin"). */
  identity(mspId: string, member: string): Promise<LedgerIdentity>;
  reopen(): Promise<EmbeddedLedger>;
  cleanup(): Promise<void>;
}

// One wallet for the whole run: key generation is the slow part of setting up a county.
let sharedWallet: { dir: string; wallet: Promise<Wallet> } | undefined;
function walletForTests(): { dir: string; wallet: Promise<Wallet> } {
  if (!sharedWallet) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-wallet-'));
    sharedWallet = { dir, wallet: Wallet.open(dir, DEFAULT_COUNTIES) };
  }
  return sharedWallet;
}

/** The directory of the run's shared wallet (county CAs and identities), e.g. for a child process. */
export async function sharedWalletDir(): Promise<string> {
  const shared = walletForTests();
  await shared.wallet;
  return shared.dir;
}

export interface LedgerFixtureOptions {
  /** Contracts loaded besides the chaincode's own, e.g. the test-only ProbeContract. */
  readonly extraContracts?: ReadonlyArray<new () => unknown>;
  /** Ledger settings such as mvccRetries or maxBlockTransactions. */
  readonly ledger?: Partial<
    Pick<EmbeddedLedgerOptions, 'mvccRetries' | 'maxBlockTransactions' | 'channelId' | 'chaincodeName' | 'recoveryDelayMs' | 'stateCache'>
  >;
}

export async function openLedgerFixture(options: LedgerFixtureOptions = {}): Promise<LedgerFixture> {
  const wallet = await walletForTests().wallet;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-ledger-'));
  const open = async () =>
    EmbeddedLedger.open({
      ...options.ledger,
      dataDir: path.join(dir, 'ledger'),
      contracts: [...contracts, ...(options.extraContracts ?? [])],
      trustedCas: wallet.trustedCas(),
      endorsers: wallet.endorsers(),
      ordering: await wallet.ordering(),
    });
  let ledger = await open();
  const fixture: LedgerFixture = {
    dir,
    wallet,
    get ledger() {
      return ledger;
    },
    async identity(mspId, member) {
      await wallet.issue(mspId, member, member.startsWith('admin') ? 'admin' : 'client');
      return wallet.ledgerIdentity(mspId, member);
    },
    async reopen() {
      await ledger.close();
      ledger = await open();
      return ledger;
    },
    async cleanup() {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

export function json(payload: Buffer): any {
  return JSON.parse(payload.toString('utf8'));
}
