import { ChainVerification } from '../ledger';
import { ChainTrust } from '../../verify/bundle';
import { auditBlocks } from '../../verify/chain-audit';
import { embeddedDecoder } from '../../verify/embedded-decoder';

/** What the audit reads: the stored block bytes (not the store's parsed view) and the recorded chain head. */
export interface AuditedChain {
  readonly height: number;
  readonly lastHash: string;
  getBlockBytes(n: number): Promise<Buffer | undefined>;
}

export interface ChainAuditOptions {
  /** Called every 100 blocks and after the last one. */
  readonly onProgress?: (checked: number, height: number, transactions: number) => void;
  /**
   * The counties' and ordering organisations' CA certificates and the endorsement policy: with
   * them every signature is checked too (creator, endorsements, block); without, only the
   * structure (the store's integrity check at start).
   */
  readonly trust?: ChainTrust;
}

/**
 * Re-checks the whole chain from its stored bytes with the offline verifier's audit
 * (verify/chain-audit.ts): each block parses, has its own number, links to the hash of the
 * header before it, its data hash matches its transactions, and (with `trust`) its signatures
 * and every transaction's creator and endorsement signatures verify against the CAs and the
 * policy; the last header's hash is the recorded chain head. Stops at the first broken block.
 */
export async function auditChain(chain: AuditedChain, options: ChainAuditOptions = {}): Promise<ChainVerification> {
  const height = chain.height;
  const verdict = await auditBlocks({ height, block: (n) => chain.getBlockBytes(n) }, embeddedDecoder, options);
  const { lastHash, ...result } = verdict;
  if (result.ok && height > 0 && lastHash !== chain.lastHash) {
    return { ...result, ok: false, blocksChecked: height, firstBrokenBlock: height - 1, problem: 'last block hash differs from the recorded chain head' };
  }
  return result;
}
