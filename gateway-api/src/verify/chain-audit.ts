import { ChainTrust } from './bundle';
import { chainProblem, fingerprintOf, verifySignature } from './crypto';
import { policyOutcome } from './policy';
import { BlockView, DecodeError, LedgerDecoder, SignedView, TransactionView } from './view';

/** The verdict of a chain audit; on a failure, the first bad block (and transaction) and why. */
export interface ChainAuditResult {
  readonly ok: boolean;
  readonly height: number;
  readonly blocksChecked: number;
  readonly transactionsChecked: number;
  /** Whether creator, endorsement and block signatures were checked (not only hash links and data hashes). */
  readonly signaturesChecked: boolean;
  readonly firstBrokenBlock?: number;
  readonly firstBadTransaction?: string;
  readonly problem?: string;
}

export interface ChainSource {
  readonly height: number;
  /** Block n's stored bytes; undefined when missing. */
  block(n: number): Promise<Buffer | undefined>;
}

export interface ChainAuditOptions {
  /** The roots of trust and policy to check signatures against; without it only hash links and data hashes are checked. */
  readonly trust?: ChainTrust;
  /** Called every PROGRESS_EVERY blocks and after the last one. */
  readonly onProgress?: (blocksChecked: number, height: number, transactionsChecked: number) => void;
}

export const PROGRESS_EVERY = 100;
/** Blocks whose signatures are being verified while the next ones are decoded. */
const WINDOW = 4;

interface Bad {
  readonly problem: string;
  readonly txId?: string;
}

/**
 * Audits a chain from block 0: each block decodes, has its number, links to the header hash of
 * the block before it, and its data hash covers its transactions; with `trust`, also every
 * block's signatures (verifying, from a trusted organisation's certificate), every transaction's
 * creator signature and certificate (issued by its county's CA, valid at the transaction's time),
 * every endorsement likewise, and the endorsement policy. Stops at the first bad block and names
 * the first bad transaction in it. Signatures are verified on the thread pool while the next
 * blocks are decoded; outcomes are still taken in chain order.
 */
export async function auditBlocks(
  source: ChainSource,
  decoder: LedgerDecoder,
  options: ChainAuditOptions = {},
): Promise<ChainAuditResult & { lastHash?: string }> {
  const { height } = source;
  const trust = options.trust;
  const signaturesChecked = trust !== undefined;
  let previous = decoder.genesisPreviousHash;
  let transactions = 0;
  const inFlight: Array<{ n: number; txs: number; verdict: Promise<Bad | undefined> }> = [];
  const broken = (n: number, bad: Bad): ChainAuditResult => ({
    ok: false,
    height,
    blocksChecked: n,
    transactionsChecked: transactions,
    signaturesChecked,
    firstBrokenBlock: n,
    ...(bad.txId ? { firstBadTransaction: bad.txId } : {}),
    problem: bad.problem,
  });
  /** Takes the oldest block's signature verdict; a failure ends the audit there. */
  const settleOldest = async (): Promise<ChainAuditResult | undefined> => {
    const oldest = inFlight.shift();
    if (!oldest) return undefined;
    const bad = await oldest.verdict;
    if (bad) {
      inFlight.length = 0;
      return broken(oldest.n, bad);
    }
    transactions += oldest.txs;
    const done = oldest.n + 1;
    if (options.onProgress && (done % PROGRESS_EVERY === 0 || done === height)) options.onProgress(done, height, transactions);
    return undefined;
  };

  for (let n = 0; n < height; n++) {
    const bytes = await source.block(n);
    let view: BlockView | undefined;
    let structural: string | undefined;
    if (!bytes) structural = 'block is missing';
    else {
      try {
        view = decoder.block(bytes);
      } catch (err) {
        structural = err instanceof DecodeError ? `block cannot be parsed: ${err.message}` : 'block cannot be parsed';
      }
    }
    if (view) {
      if (view.number !== n) structural = `header says block ${view.number}`;
      else if (view.previousHash !== previous) structural = 'previous-block hash does not match the block before it';
      else if (view.computedDataHash !== view.dataHash) structural = 'data hash does not match the transactions in the block';
    }
    if (structural || !view) {
      // Blocks before it may still fail on a signature: those come first.
      while (inFlight.length > 0) {
        const stop = await settleOldest();
        if (stop) return stop;
      }
      return broken(n, { problem: structural ?? 'block cannot be parsed' });
    }
    previous = view.headerHash;
    inFlight.push({ n, txs: view.transactions.length, verdict: trust ? checkSignatures(view, trust) : Promise.resolve(undefined) });
    if (inFlight.length >= WINDOW) {
      const stop = await settleOldest();
      if (stop) return stop;
    }
  }
  while (inFlight.length > 0) {
    const stop = await settleOldest();
    if (stop) return stop;
  }
  return { ok: true, height, blocksChecked: height, transactionsChecked: transactions, signaturesChecked, lastHash: previous };
}

/** The first signature problem of a block, in order: the block's own signatures, then each transaction's. */
async function checkSignatures(block: BlockView, trust: ChainTrust): Promise<Bad | undefined> {
  const roots = new Map(trust.counties.map((c) => [c.mspId, c]));
  const counties = new Set(trust.endorsementPolicy.organisations);
  const chainFailure = (who: string, s: SignedView, at: Date): string | undefined => {
    const root = roots.get(s.mspId);
    if (!root) return `${who}: no trusted CA of ${s.mspId}`;
    const problem = chainProblem(s.certificate, root.caCertificate, at);
    return problem ? `${who} (${s.mspId}): ${problem}` : undefined;
  };
  // Start every verification at once; the pool works through them while the caller decodes on.
  const blockVerdicts = block.signatures.map((s) => verifySignature(s.signed, s.certificate, s.signature));
  const txs: Array<{ code: string; view?: TransactionView; error?: string; creator?: Promise<boolean>; endorsements?: Array<Promise<boolean>> }> =
    block.transactions.map((t) => {
      try {
        const view = t.decode();
        return {
          code: t.validationCode,
          view,
          creator: verifySignature(view.creator.signed, view.creator.certificate, view.creator.signature),
          endorsements: view.endorsements.map((e) => verifySignature(e.signed, e.certificate, e.signature)),
        };
      } catch (err) {
        return { code: t.validationCode, error: err instanceof Error ? err.message : String(err) };
      }
    });

  const firstTime = txs.find((t) => t.view)?.view?.timestamp ?? new Date();
  // Fabric's genesis block is the channel's founding configuration, which no orderer signs.
  const genesis = block.number === 0 && txs.length > 0 && txs.every((t) => t.view?.endorsement === 'genesis');
  if (block.signatures.length === 0 && !genesis) return { problem: 'the block carries no orderer signature' };
  const blockOk = await Promise.all(blockVerdicts);
  for (const [i, s] of block.signatures.entries()) {
    if (!blockOk[i]) return { problem: `the block signature of ${s.mspId} does not verify over the block header` };
    const failure = chainFailure('block signer', s, firstTime);
    if (failure) return { problem: failure };
  }
  for (const t of txs) {
    if (!t.view) return { problem: `a transaction cannot be decoded: ${t.error}` };
    const v = t.view;
    const bad = (problem: string): Bad => ({ problem, txId: v.txId });
    const rule = v.endorsement ?? 'channel';
    if (rule === 'genesis') {
      if (!genesis) return bad('an unsigned configuration outside the genesis block');
      continue;
    }
    if (!(await t.creator)) return bad('the creator signature does not verify with the creator certificate');
    // A configuration transaction is made by an ordering node: any trusted organisation's CA, not a county's.
    if (rule !== 'configuration' && !counties.has(v.creator.mspId)) return bad(`the creator's organisation ${v.creator.mspId} is not a county of the channel`);
    const creatorChain = chainFailure('creator', v.creator, v.timestamp);
    if (creatorChain) return bad(creatorChain);
    if (rule === 'configuration') {
      if (v.endorsements.length > 0) return bad('a configuration transaction carries endorsements');
      continue;
    }
    const endorsed = await Promise.all(t.endorsements ?? []);
    for (const [i, e] of v.endorsements.entries()) {
      if (!endorsed[i]) return bad(`the endorsement of ${e.mspId} does not verify with its certificate`);
      if (!counties.has(e.mspId)) return bad(`endorser ${e.mspId} is not a county of the channel`);
      const failure = chainFailure('endorser', e, v.timestamp);
      if (failure) return bad(failure);
    }
    // A transaction the committer marked invalid had no effect (an endorsement policy failure is one
    // such mark): its signatures are checked above, the policy only for those whose writes count.
    if (t.code !== 'VALID') continue;
    if (rule === 'creator-organisation') {
      if (!v.endorsements.some((e) => e.mspId === v.creator.mspId)) return bad(`no endorsement of the creator's own organisation ${v.creator.mspId}`);
      continue;
    }
    const policy = policyOutcome(
      trust.endorsementPolicy,
      v.endorsements.map((e) => e.mspId),
    );
    if (!policy.satisfied) {
      return bad(
        `the endorsements do not satisfy the policy: ${policy.counted.length} of ${trust.endorsementPolicy.organisations.length} counties (${policy.counted.join(', ') || 'none'}), ${trust.endorsementPolicy.rule} needs ${policy.needed}`,
      );
    }
  }
  return undefined;
}

/** The trust roots' fingerprints as given, checked against their certificates: the problem, if any. */
export function trustProblem(trust: ChainTrust): string | undefined {
  for (const root of trust.counties) {
    if (fingerprintOf(root.caCertificate) !== root.sha256) return `the CA certificate of ${root.mspId} does not have the fingerprint given for it`;
  }
  const roots = new Set(trust.counties.map((c) => c.mspId));
  const missing = trust.endorsementPolicy.organisations.filter((m) => !roots.has(m));
  return missing.length ? `no CA certificate for ${missing.join(', ')} of the endorsement policy` : undefined;
}
