import { sign } from 'node:crypto';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { Block, dataHash, headerHash, serializeBlock, TxRecord } from '../../gateway-api/src/ledger/embedded/block-format';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { blockSignatureBytes } from '../../gateway-api/src/verify/embedded-format';

/**
 * Rewrites stored block n as someone holding the ordering node's key (not the endorsers' or the
 * creators') could: its transactions edited, the data hash recomputed and the block signed again.
 */
export async function forgeBlock(ledger: EmbeddedLedger, wallet: Wallet, n: number, edit: (tx: TxRecord, i: number) => TxRecord): Promise<void> {
  const block = (await ledger.getBlock(n)) as Block;
  const data = block.data.map(edit);
  const header = { ...block.header, dataHash: dataHash(data) };
  const { orderer } = await wallet.ordering();
  const signature = sign('sha256', blockSignatureBytes(headerHash(header), orderer), orderer.privateKey).toString('base64');
  const signatures = [{ mspId: orderer.mspId, orderer: orderer.name, certificate: orderer.certificate, signature }];
  await ledger.store.tamperWithBlockForTest(n, serializeBlock({ header, data, metadata: { ...block.metadata, signatures } }));
}

/** A base64 string with one character in the middle replaced by another base64 character. */
export function flipBase64(text: string, at = Math.floor(text.length / 2)): string {
  let i = at;
  while (!/[A-Za-z0-9]/.test(text[i] as string)) i++;
  return text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
}
