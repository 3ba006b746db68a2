import { ChainVerification } from '../ledger';
import { Block, dataHash, GENESIS_PREVIOUS_HASH, headerHash, parseBlock } from './block-format';

/** What the audit reads: the stored block bytes (not the store's parsed view) and the recorded chain head. */
export interface AuditedChain {
  readonly height: number;
  readonly lastHash: string;
  getBlockBytes(n: number): Promise<Buffer | undefined>;
}

export interface ChainAuditOptions {
  /** Called every 1,000 blocks and after the last one. */
  readonly onProgress?: (checked: number, height: number) => void;
}

/**
 * Re-checks the whole chain from its stored bytes: each block parses, has its own
 * number, links to the hash of the header before it, and its data hash matches its
 * transactions; the last header's hash is the recorded chain head. Stops at the
 * first broken block.
 */
export async function auditChain(chain: AuditedChain, options: ChainAuditOptions = {}): Promise<ChainVerification> {
  const height = chain.height;
  let previous = GENESIS_PREVIOUS_HASH;
  for (let n = 0; n < height; n++) {
    const bytes = await chain.getBlockBytes(n);
    const broken = (problem: string): ChainVerification => ({ ok: false, height, blocksChecked: n, firstBrokenBlock: n, problem });
    if (!bytes) return broken('block is missing');
    let block: Block;
    try {
      block = parseBlock(bytes);
    } catch {
      return broken('block cannot be parsed');
    }
    if (block.header.number !== n) return broken(`header says block ${block.header.number}`);
    if (block.header.previousHash !== previous) return broken('previous-block hash does not match the block before it');
    if (dataHash(block.data) !== block.header.dataHash) return broken('data hash does not match the transactions in the block');
    previous = headerHash(block.header);
    if (options.onProgress && (n % 1000 === 999 || n === height - 1)) options.onProgress(n + 1, height);
  }
  if (height > 0 && previous !== chain.lastHash) {
    return { ok: false, height, blocksChecked: height, firstBrokenBlock: height - 1, problem: 'last block hash differs from the recorded chain head' };
  }
  return { ok: true, height, blocksChecked: height };
}
