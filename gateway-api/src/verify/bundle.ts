import { z } from 'zod';
import { ENDORSEMENT_RULE } from './policy';

/**
 * The proof bundle format `county-ledger-proof/1` (docs/proof-bundle.md): one schema for both
 * ledgers, from which docs/proof-bundle.schema.json is generated (test/verify/proof-bundle.test.ts
 * holds the file to it). Raw bytes are base64; decoded fields beside them are for people and
 * must agree with the raw bytes.
 */
export const PROOF_FORMAT = 'county-ledger-proof/1';

const hex = (bytes?: number) =>
  z
    .string()
    .regex(bytes === undefined ? /^(?:[0-9a-f]{2})*$/ : new RegExp(`^[0-9a-f]{${bytes * 2}}$`), 'lower-case hex')
    .describe(bytes === undefined ? 'lower-case hex' : `${bytes} bytes, lower-case hex`);
const base64 = z
  .string()
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'base64')
  .describe('base64');
const pem = z
  .string()
  .regex(/^-----BEGIN CERTIFICATE-----\r?\n[\s\S]+-----END CERTIFICATE-----\s*$/, 'one PEM certificate')
  .describe('an X.509 certificate, PEM');
const mspId = z.string().min(1).max(64).describe('an MSP ID (a county organisation, or an ordering organisation)');
const count = z.number().int().min(0);

export const signerSchema = z
  .strictObject({ mspId, certificate: pem, signature: base64.describe('ECDSA P-256 signature (DER), base64') })
  .describe('a signature with the certificate it verifies with');

export const trustRootSchema = z
  .strictObject({ mspId, caCertificate: pem, sha256: hex(32).describe('SHA-256 of the CA certificate DER, lower-case hex') })
  .describe("an organisation's CA certificate: a root of trust");

export const endorsementPolicySchema = z
  .strictObject({ rule: z.literal(ENDORSEMENT_RULE), organisations: z.array(mspId).min(1) })
  .describe("the endorsement policy: endorsements of more than half of the channel's county organisations");

export const revocationSchema = z
  .strictObject({
    mspId,
    sha256: hex(32).describe('fingerprint of the revoked certificate'),
    block: count.describe('the block the revocation was committed in'),
    txId: z.string().min(1),
  })
  .describe('a revocation on the ledger of a certificate that signed in this bundle');

export const chainTrustSchema = z
  .strictObject({ counties: z.array(trustRootSchema).min(1), endorsementPolicy: endorsementPolicySchema })
  .describe("the roots of trust (the counties' and ordering organisations' CA certificates) and the endorsement policy");

export const proofTransactionSchema = z.strictObject({
  txId: z.string().min(1),
  index: count.describe('position in the block'),
  validationCode: z.string().describe("the committer's verdict, from the block metadata"),
  raw: base64.describe('embedded: canonical JSON of the transaction record as in the block; fabric: the Envelope protobuf'),
  creator: z.strictObject({ mspId, certificate: pem }),
  signature: base64.describe("the creator's signature (embedded: over the canonical JSON of the proposal; fabric: over the envelope payload)"),
  endorsements: z.array(signerSchema),
  write: z.strictObject({ key: z.string(), value: base64 }).describe('the write of the evidence record in the write set'),
});

export const proofBlockSchema = z.strictObject({
  number: count,
  header: z.strictObject({ number: count, previousHash: hex(), dataHash: hex() }),
  headerHash: hex(32),
  raw: base64.describe('embedded: the stored block (JSON); fabric: the Block protobuf'),
  signatures: z.array(signerSchema).describe("the ordering service's signatures over the block"),
  chainHeight: count.describe("the ledger's height when the bundle was made (informative)"),
});

/** The parts of a bundle a ledger answers (Ledger.proofOf): everything but the record and what the chaincode says of revocations. */
export const ledgerProofSchema = z.strictObject({
  ledger: z.enum(['embedded', 'fabric']),
  channel: z.string(),
  chaincode: z.string(),
  transaction: proofTransactionSchema,
  block: proofBlockSchema,
  trust: chainTrustSchema,
});

/** The evidence record as stored; the verifier needs these fields and compares the whole object with the write. */
export const proofEvidenceSchema = z
  .looseObject({ sha256: hex(32), sm3: hex(32), sizeBytes: count, mediaType: z.string(), txId: z.string(), anchoredAt: z.string() })
  .describe('the evidence record as the chaincode stored it (Evidence:Get)');

export const proofBundleSchema = z
  .strictObject({
    format: z.literal(PROOF_FORMAT),
    ledger: ledgerProofSchema.shape.ledger,
    channel: z.string(),
    chaincode: z.string(),
    issuedAt: z.string().describe('when the gateway made the bundle (informative)'),
    issuedBy: z.string().describe('whose gateway made it (informative)'),
    evidence: proofEvidenceSchema,
    recordKey: z.string().describe("the evidence record's world-state key"),
    transaction: proofTransactionSchema,
    block: proofBlockSchema,
    trust: chainTrustSchema.extend({ revocations: z.array(revocationSchema) }),
  })
  .describe('a proof bundle: everything needed to check offline that a file was anchored (docs/proof-bundle.md)');

export type Signer = z.infer<typeof signerSchema>;
export type TrustRoot = z.infer<typeof trustRootSchema>;
export type ChainTrust = z.infer<typeof chainTrustSchema>;
export type Revocation = z.infer<typeof revocationSchema>;
export type LedgerProof = z.infer<typeof ledgerProofSchema>;
export type ProofBundle = z.infer<typeof proofBundleSchema>;

/** The JSON Schema of the format, as docs/proof-bundle.schema.json holds it (npm run docs:proof-schema writes it). */
export function proofBundleJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(proofBundleSchema, { io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return { $schema, $id: 'urn:county-ledger:proof-bundle:1', title: `County Ledger proof bundle (${PROOF_FORMAT})`, ...rest };
}
