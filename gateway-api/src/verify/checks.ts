import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { proofBundleSchema, ProofBundle, Signer } from './bundle';
import { chainProblem, fingerprintOf, verifySignature } from './crypto';
import { decoderOf } from './decoders';
import { policyOutcome } from './policy';
import { BlockView, SignedView, TransactionView } from './view';

/** The checks of a proof bundle, in the order they run and print (docs/proof-bundle.md). */
export const PROOF_CHECKS = [
  'bundle format',
  'file sha256',
  'file sm3',
  'record in write set',
  'transaction in block',
  'block header',
  'creator signature',
  'endorsement signatures',
  'certificates chain to county CAs',
  'not revoked',
  'endorsement policy',
  'block signatures',
] as const;
export type ProofCheck = (typeof PROOF_CHECKS)[number];

export interface CheckOutcome {
  readonly check: ProofCheck;
  readonly ok: boolean;
  readonly detail: string;
}

/** The world-state key of the evidence record of a SHA-256 digest (the chaincode's composite key `evidence`, [sha256]). */
export function evidenceRecordKey(sha256: string): string {
  return `\u0000evidence\u0000${sha256}\u0000`;
}

/** A file's digests, or the file itself. */
export type FileInput = Buffer | { readonly sha256: string; readonly sm3: string };

const readable = (key: string) => key.replace(/\u0000/g, '/');
const b64 = (b: Buffer) => b.toString('base64');
const short = (hex: string) => `${hex.slice(0, 16)}…`;

class Failure extends Error {}
/** Throws the reason a check fails. */
function need(condition: unknown, why: string): asserts condition {
  if (!condition) throw new Failure(why);
}

function sameSigner(shown: Signer, recorded: SignedView): boolean {
  return shown.mspId === recorded.mspId && shown.certificate === recorded.certificate && shown.signature === b64(recorded.signature);
}

/**
 * Checks a proof bundle (and the file, when given) as docs/proof-bundle.md says: each check on
 * the raw bytes and the roots of trust only, the decoded fields of the bundle held to agree
 * with them. Answers one outcome per check; any FAILED means the proof does not hold.
 */
export async function verifyProof(input: unknown, file?: FileInput): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  const parsed = proofBundleSchema.safeParse(input);
  outcomes.push(
    parsed.success
      ? { check: 'bundle format', ok: true, detail: `${parsed.data.format}, ${parsed.data.ledger} ledger` }
      : {
          check: 'bundle format',
          ok: false,
          detail: `not a county-ledger-proof/1 bundle: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        },
  );
  if (!parsed.success) {
    for (const check of PROOF_CHECKS.slice(1)) if (file || !check.startsWith('file ')) outcomes.push({ check, ok: false, detail: 'the bundle is malformed' });
    return outcomes;
  }
  const bundle = parsed.data;

  if (file) {
    const digests = Buffer.isBuffer(file)
      ? { sha256: createHash('sha256').update(file).digest('hex'), sm3: createHash('sm3').update(file).digest('hex') }
      : file;
    for (const [check, mine, recorded] of [
      ['file sha256', digests.sha256, bundle.evidence.sha256],
      ['file sm3', digests.sm3, bundle.evidence.sm3],
    ] as const) {
      outcomes.push(mine === recorded ? { check, ok: true, detail: mine } : { check, ok: false, detail: `the file's is ${mine}, the record's ${recorded}` });
    }
  }

  // Decoding: every check below needs the transaction or the block as their raw bytes say.
  let tx: TransactionView | Error;
  let block: BlockView | Error;
  try {
    const decoder = decoderOf(bundle.ledger);
    try {
      tx = decoder.transaction(Buffer.from(bundle.transaction.raw, 'base64'));
    } catch (err) {
      tx = err as Error;
    }
    try {
      block = decoder.block(Buffer.from(bundle.block.raw, 'base64'));
    } catch (err) {
      block = err as Error;
    }
  } catch (err) {
    tx = block = err as Error;
  }

  const run = async (check: ProofCheck, body: () => Promise<string> | string) => {
    try {
      outcomes.push({ check, ok: true, detail: await body() });
    } catch (err) {
      outcomes.push({ check, ok: false, detail: err instanceof Error ? err.message : String(err) });
    }
  };
  const txView = (): TransactionView => {
    if (tx instanceof Error) throw new Failure(`transaction.raw: ${tx.message}`);
    return tx;
  };
  const blockView = (): BlockView => {
    if (block instanceof Error) throw new Failure(`block.raw: ${block.message}`);
    return block;
  };
  const rootOf = (mspId: string) => bundle.trust.counties.find((c) => c.mspId === mspId);
  /** Why a signer does not chain to the trusted CA of the organisation it names, at the transaction's time. */
  const chainFailure = (who: string, signer: { mspId: string; certificate: string }, at: Date): string | undefined => {
    const root = rootOf(signer.mspId);
    if (!root) return `${who}: no CA of ${signer.mspId} in trust.counties`;
    const fp = fingerprintOf(root.caCertificate);
    if (fp !== root.sha256) return `${who}: the CA certificate of ${signer.mspId} does not have the fingerprint the bundle gives it`;
    const problem = chainProblem(signer.certificate, root.caCertificate, at);
    return problem ? `${who} (${signer.mspId}): ${problem}` : undefined;
  };

  await run('record in write set', () => {
    const t = txView();
    const key = evidenceRecordKey(bundle.evidence.sha256);
    need(bundle.recordKey === key, `recordKey is ${readable(bundle.recordKey)}, not the record key of ${bundle.evidence.sha256}`);
    need(bundle.evidence.txId === t.txId, `the record names transaction ${bundle.evidence.txId}, the transaction is ${t.txId}`);
    const written = t.writes.get(key);
    need(written, `the transaction does not write ${readable(key)}`);
    need(written.equals(Buffer.from(canonicalJson(bundle.evidence))), 'the value written is not the evidence record of the bundle');
    need(
      bundle.transaction.write.key === key && Buffer.from(bundle.transaction.write.value, 'base64').equals(written),
      'transaction.write is not the write set entry',
    );
    return `${readable(key)} written by ${t.txId}`;
  });

  await run('transaction in block', () => {
    const b = blockView();
    const t = txView();
    const at = b.transactions[bundle.transaction.index];
    need(at, `block ${b.number} has no transaction at index ${bundle.transaction.index}`);
    need(at.raw.equals(Buffer.from(bundle.transaction.raw, 'base64')), `transaction.raw is not the block's transaction ${bundle.transaction.index}`);
    need(bundle.transaction.txId === t.txId, `transaction.txId is ${bundle.transaction.txId}, the transaction's own ID ${t.txId}`);
    need(
      at.validationCode === bundle.transaction.validationCode,
      `the block records ${at.validationCode}, the bundle says ${bundle.transaction.validationCode}`,
    );
    need(at.validationCode === 'VALID', `the block records the transaction as ${at.validationCode}: its writes were not applied`);
    need(b.computedDataHash === b.dataHash, `the block's data hash ${short(b.dataHash)} does not cover its transactions (${short(b.computedDataHash)})`);
    return `transaction ${bundle.transaction.index} of block ${b.number}, VALID, data hash ${short(b.dataHash)}`;
  });

  await run('block header', () => {
    const b = blockView();
    const shown = bundle.block.header;
    need(shown.number === b.number && shown.previousHash === b.previousHash && shown.dataHash === b.dataHash, 'block.header is not the header of block.raw');
    need(bundle.block.number === b.number, `block.number is ${bundle.block.number}, the header's ${b.number}`);
    need(bundle.block.headerHash === b.headerHash, `block.headerHash is not the header's hash (${short(b.headerHash)})`);
    return `block ${b.number}, header hash ${short(b.headerHash)}, previous ${short(b.previousHash || '(none)')}`;
  });

  await run('creator signature', async () => {
    const t = txView();
    need(
      bundle.transaction.creator.mspId === t.creator.mspId && bundle.transaction.creator.certificate === t.creator.certificate,
      'transaction.creator is not the creator of transaction.raw',
    );
    need(bundle.transaction.signature === b64(t.creator.signature), 'transaction.signature is not the signature in transaction.raw');
    need(await verifySignature(t.creator.signed, t.creator.certificate, t.creator.signature), 'the signature does not verify with the creator certificate');
    return `${t.creator.mspId}, certificate ${short(fingerprintOf(t.creator.certificate) ?? '?')}`;
  });

  await run('endorsement signatures', async () => {
    const t = txView();
    need(t.endorsements.length > 0, 'the transaction carries no endorsement');
    const shown = bundle.transaction.endorsements;
    need(
      shown.length === t.endorsements.length && shown.every((s, i) => sameSigner(s, t.endorsements[i] as SignedView)),
      'transaction.endorsements are not those in transaction.raw',
    );
    const verdicts = await Promise.all(t.endorsements.map((e) => verifySignature(e.signed, e.certificate, e.signature)));
    const bad = t.endorsements.filter((_, i) => !verdicts[i]).map((e) => e.mspId);
    need(bad.length === 0, `the endorsement of ${bad.join(', ')} does not verify with its certificate`);
    return `${t.endorsements.length} endorsements verify (${t.endorsements.map((e) => e.mspId).join(', ')})`;
  });

  await run('certificates chain to county CAs', () => {
    const t = txView();
    const counties = new Set(bundle.trust.endorsementPolicy.organisations);
    const signers = [['creator', t.creator] as const, ...t.endorsements.map((e, i) => [`endorser ${i + 1}`, e] as const)];
    for (const [who, s] of signers) {
      need(counties.has(s.mspId), `${who}: ${s.mspId} is not a county of the channel`);
      const failure = chainFailure(who, s, t.timestamp);
      need(failure === undefined, failure ?? '');
    }
    return `creator and ${t.endorsements.length} endorsers issued by their counties' CAs, valid at ${t.timestamp.toISOString()}`;
  });

  await run('not revoked', () => {
    const t = txView();
    const b = blockView();
    const signers = [t.creator, ...t.endorsements, ...b.signatures];
    for (const s of signers) {
      const fp = fingerprintOf(s.certificate);
      const revoked = bundle.trust.revocations.find((r) => r.mspId === s.mspId && r.sha256 === fp && r.block <= b.number);
      need(!revoked, `${s.mspId} certificate ${short(fp ?? '?')} was revoked in block ${revoked?.block} (transaction ${revoked?.txId})`);
    }
    const later = bundle.trust.revocations.filter((r) => r.block > b.number).length;
    return `no signer revoked in or before block ${b.number}${later ? ` (${later} revoked later)` : ''}`;
  });

  await run('endorsement policy', () => {
    const t = txView();
    const policy = bundle.trust.endorsementPolicy;
    const outcome = policyOutcome(
      policy,
      t.endorsements.map((e) => e.mspId),
    );
    need(
      outcome.satisfied,
      `${outcome.counted.length} of ${policy.organisations.length} counties endorsed (${outcome.counted.join(', ') || 'none'}); ${policy.rule} needs ${outcome.needed}`,
    );
    return `${outcome.counted.join(', ')}: ${outcome.counted.length} of ${policy.organisations.length}, ${policy.rule} needs ${outcome.needed}`;
  });

  await run('block signatures', async () => {
    const b = blockView();
    need(b.signatures.length > 0, `block ${b.number} carries no signature`);
    const shown = bundle.block.signatures;
    need(
      shown.length === b.signatures.length && shown.every((s, i) => sameSigner(s, b.signatures[i] as SignedView)),
      'block.signatures are not those in block.raw',
    );
    const verdicts = await Promise.all(b.signatures.map((s) => verifySignature(s.signed, s.certificate, s.signature)));
    const bad = b.signatures.filter((_, i) => !verdicts[i]).map((s) => s.mspId);
    need(bad.length === 0, `the signature of ${bad.join(', ')} does not verify over the block header`);
    // The orderer's certificate must be valid when it ordered the block: at its transactions' time.
    const at = (b.transactions[bundle.transaction.index] ?? b.transactions[0])?.decode().timestamp ?? new Date();
    for (const [i, s] of b.signatures.entries()) {
      const failure = chainFailure(`block signer ${i + 1}`, s, at);
      need(failure === undefined, failure ?? '');
    }
    return `signed by ${b.signatures.map((s) => s.mspId).join(', ')}`;
  });

  return outcomes;
}

/** The outcomes as the verifier prints them: one line per check. */
export function formatOutcomes(outcomes: readonly CheckOutcome[]): string {
  const width = Math.max(...outcomes.map((o) => o.check.length));
  return outcomes.map((o) => `${o.ok ? 'ok    ' : 'FAILED'}  ${o.check.padEnd(width)}  ${o.detail}`).join('\n');
}

export type { ProofBundle };
