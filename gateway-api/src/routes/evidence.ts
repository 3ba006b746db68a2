import { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { describeIssues, mediaTypeSchema, tx } from '../../../chaincode/src/public';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../errors';
import { BlobStore, digestStream } from '../evidence/blob-store';
import { claimUpload } from '../plugins/idempotency';
import { CertificateSettings, evidenceCertificate } from '../evidence/certificate';
import { evaluate, submit } from '../ledger/calls';
import { LedgerError } from '../ledger/errors';
import { Ledger, LedgerIdentity } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { answerResponses, bodyOf, createdResponses, errorResponses, problemSchema, submittedSchema } from '../schemas/common';
import { fileDigestsSchema, transactionInfoSchema } from '../schemas/ledger';
import { makeProofBundle } from '../proof/proof-bundle';
import { proofBundleSchema } from '../verify/bundle';

const digestParams = z.object({ digest: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest') });

const evidenceView = tx.evidence.get.output;
/** A stored file answers its existing record (200); a new one answers the anchoring transaction (201). */
const uploadResponses = {
  200: evidenceView.extend({ existing: z.literal(true) }).describe('the file was already anchored: its record'),
  201: submittedSchema(tx.evidence.anchor.output).extend({ existing: z.literal(false) }),
  ...errorResponses,
  507: problemSchema.describe('the disk would be left under EVIDENCE_DISK_RESERVE_BYTES (INSUFFICIENT_STORAGE); nothing stored'),
};
/** Where and when a digest was anchored: what a caller who may not read the record still learns. */
const anchoringSchema = transactionInfoSchema
  .pick({ txId: true, blockNumber: true, validationCode: true, timestamp: true })
  .describe('the anchoring transaction: ID, block, validation code and time (no creator, no transaction name)');
const verification = z
  .strictObject({
    match: z.boolean().describe('digests match an anchored record whose transaction is VALID'),
    digests: fileDigestsSchema,
    readable: z.boolean().optional().describe('whether the caller may read the record (need to know); absent when the digest is not anchored'),
    anchoring: anchoringSchema.nullable().optional(),
    record: evidenceView.shape.record.optional().describe('only for a caller who may read the record'),
    recognitions: evidenceView.shape.recognitions.optional(),
    recognitionsTruncated: z.boolean().optional(),
    transaction: transactionInfoSchema.nullable().optional().describe('only for a caller who may read the record'),
  })
  .describe('what the gateway recomputed and what the ledger holds');

/** The single file part of a multipart upload, with the form fields that came before it. */
async function filePart(req: FastifyRequest) {
  if (!req.isMultipart()) throw new ApiError('INVALID_ARGUMENT', 'upload the file as multipart/form-data with a field named "file"');
  const part = await req.file();
  if (!part) throw new ApiError('INVALID_ARGUMENT', 'no file in the upload');
  return part;
}

function fieldValue(part: Awaited<ReturnType<typeof filePart>>, name: string): string | undefined {
  const field = part.fields[name];
  const one = Array.isArray(field) ? field[0] : field;
  return one && 'value' in one && typeof one.value === 'string' ? one.value : undefined;
}

export const evidenceRoutes =
  (ledger: Ledger, blobs: BlobStore, maxBytes: number, certificates: CertificateSettings): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/evidence',
      {
        config: { submits: true },
        schema: {
          tags: ['evidence'],
          summary:
            'Upload an evidence file (multipart/form-data: optional fields "refs" (JSON: subjectIds, caseIds, orderIds) and "description" BEFORE the "file" part). Its digests are anchored on the ledger and the file is stored by its SHA-256 only then; uploading an anchored file the caller may read returns the existing record (and stores the file if this gateway lacks it). A refused or failed upload leaves no file. With Idempotency-Key, the key is bound to the content of the file: another file under it is 422.',
          consumes: ['multipart/form-data'],
          response: uploadResponses,
        },
      },
      async (req, reply) => {
        const caller = callerOf(req);
        // Before a byte is read: refused when the disk would be left under its reserve.
        await blobs.ensureSpaceFor(Math.min(maxBytes, Number(req.headers['content-length']) || maxBytes));
        const part = await filePart(req);
        let refs: z.output<typeof tx.evidence.anchor.input.shape.refs>;
        const refsText = fieldValue(part, 'refs');
        if (refsText !== undefined) {
          let json: unknown;
          try {
            json = JSON.parse(refsText);
          } catch {
            throw new ApiError('INVALID_ARGUMENT', 'refs must be JSON, e.g. {"orderIds":["ord-1"]}');
          }
          const parsed = tx.evidence.anchor.input.shape.refs.safeParse(json);
          if (!parsed.success) throw new ApiError('INVALID_ARGUMENT', `refs: ${describeIssues(parsed.error)}`);
          refs = parsed.data;
        }
        const description = fieldValue(part, 'description');
        const mediaType = mediaTypeSchema.safeParse(part.mimetype.toLowerCase()).success ? part.mimetype.toLowerCase() : 'application/octet-stream';
        // The file waits in the staging folder and enters the store only once the ledger has a record
        // the caller may read (anchored now, or before); every refusal or failure discards it.
        const staged = await blobs.stage(part.file, maxBytes);
        try {
          const fingerprint = JSON.stringify({
            sha256: staged.sha256,
            sizeBytes: staged.sizeBytes,
            mediaType,
            refs: refsText ?? null,
            description: description ?? null,
          });
          if (await claimUpload(req, reply, fingerprint)) return reply;
          const existing = await findEvidence(ledger, caller.identity, staged.sha256);
          if (existing === 'forbidden') throw alreadyAnchoredElsewhere();
          if (existing) {
            await staged.keep();
            return reply.code(200).send({ existing: true, ...existing });
          }
          try {
            const anchored = await submit(ledger, caller.identity, tx.evidence.anchor, {
              sha256: staged.sha256,
              sm3: staged.sm3,
              sizeBytes: staged.sizeBytes,
              mediaType,
              ...(refs !== undefined ? { refs } : {}),
              ...(description ? { description } : {}),
            });
            await staged.keep();
            return reply.code(201).send({ existing: false, ...anchored });
          } catch (err) {
            // Another upload of the same file won the race: answer with its record.
            if (err instanceof LedgerError && err.code === 'CONFLICT') {
              const raced = await findEvidence(ledger, caller.identity, staged.sha256);
              if (raced === 'forbidden') throw alreadyAnchoredElsewhere();
              if (raced) {
                await staged.keep();
                return reply.code(200).send({ existing: true, ...raced });
              }
            }
            throw err;
          }
        } finally {
          await staged.discard();
        }
      },
    );

    app.post(
      '/evidence/verify',
      {
        schema: {
          tags: ['evidence', 'audit'],
          summary:
            'Verify a file: recompute its digests and, if anchored, show the anchoring transaction (ID, block number, validation code, timestamp). A caller who may read the record (need to know, as GET /evidence/{digest}) also gets the record, its recognitions and the whole transaction (creator, endorsing organisations); any other caller holding a role learns only match or no match and where and when it was anchored, never the refs, description or submitter.',
          consumes: ['multipart/form-data'],
          response: { 200: verification, ...errorResponses },
        },
      },
      async (req) => {
        const caller = callerOf(req);
        const part = await filePart(req);
        const digests = await digestStream(part.file, maxBytes);
        if (part.file.truncated) throw new ApiError('PAYLOAD_TOO_LARGE', `the file exceeds the ${maxBytes}-byte limit`);
        const anchored = await anchoringOf(ledger, caller.identity, digests.sha256);
        if (!anchored) return { match: false, digests };
        const transaction = await ledger.getTransaction(anchored.txId);
        const match = transaction?.validationCode === 'VALID' && anchored.sm3 === digests.sm3;
        const anchoring = transaction
          ? { txId: transaction.txId, blockNumber: transaction.blockNumber, validationCode: transaction.validationCode, timestamp: transaction.timestamp }
          : null;
        const found = await findEvidence(ledger, caller.identity, digests.sha256);
        if (!found || found === 'forbidden') return { match, digests, readable: false, anchoring };
        return {
          match,
          digests,
          readable: true,
          anchoring,
          record: found.record,
          recognitions: found.recognitions,
          transaction: transaction ?? null,
        };
      },
    );

    app.get(
      '/evidence/:digest',
      {
        schema: {
          tags: ['evidence'],
          summary:
            'The evidence record of a SHA-256 digest: for its submitter, merchants bound to a referenced subject, regulators and enforcement of the counties concerned (submitter, referenced subjects, orders and cases) and auditors; FORBIDDEN for others',
          params: digestParams,
          response: answerResponses(tx.evidence.get),
        },
      },
      async (req) => evaluate(ledger, callerOf(req).identity, tx.evidence.get, { sha256: req.params.digest }),
    );

    app.get(
      '/evidence/:digest/content',
      {
        schema: {
          tags: ['evidence'],
          summary: 'Download the evidence file: only for those who may read its record (need to know, as GET /evidence/{digest})',
          params: digestParams,
          response: { 200: z.any().describe('the file, byte for byte, with its recorded media type'), ...errorResponses },
        },
      },
      async (req, reply) => {
        const view = await evaluate(ledger, callerOf(req).identity, tx.evidence.get, { sha256: req.params.digest });
        const file = await blobs.open(req.params.digest);
        if (!file) throw new ApiError('NOT_FOUND', 'the ledger has the record but this gateway does not hold the file');
        return reply.type(view.record.mediaType).header('content-length', file.sizeBytes).send(file.stream);
      },
    );

    app.get(
      '/evidence/:digest/certificate',
      {
        schema: {
          tags: ['evidence', 'audit'],
          summary:
            'The evidence certificate (存证证书) of an anchored digest as a PDF, Chinese first: digests, size, time in CST, block number, transaction ID, submitting county and member, endorsing counties (from the block) and a QR code to the public verification page (PUBLIC_BASE_URL/#/verify/{digest}); for those who may read the record (need to know, as GET /evidence/{digest})',
          params: digestParams,
          response: {
            200: {
              description: 'the certificate, a one-page A4 PDF',
              content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }).describe('the PDF document') } },
            },
            ...errorResponses,
            404: errorResponses[400].describe('the digest is not anchored (NOT_FOUND)'),
            503: errorResponses[400].describe('the CJK font (CJK_FONT) is missing on this gateway (UNAVAILABLE)'),
          },
        },
      },
      async (req, reply) => {
        const pdf = await evidenceCertificate(ledger, callerOf(req).identity, req.params.digest, certificates);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="evidence-certificate-${req.params.digest}.pdf"`)
          .header('cache-control', 'private, no-store')
          .send(pdf as never); // bytes, not the documented string: fastify sends a Buffer as it is
      },
    );

    app.get(
      '/evidence/:digest/proof',
      {
        schema: {
          tags: ['evidence', 'audit'],
          summary:
            'The proof bundle of an anchored file (docs/proof-bundle.md, JSON Schema docs/proof-bundle.schema.json): the record, the transaction as recorded with its creator and endorsement signatures, the block header and signatures, the CA certificates that are the roots of trust and the revocations of any signer; checked offline by npx county-ledger-verify proof. For those who may read the record (need to know, as GET /evidence/{digest}); 404 when the digest is not anchored',
          params: digestParams,
          response: { 200: proofBundleSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const bundle = await makeProofBundle(ledger, callerOf(req).identity, req.params.digest);
        return reply.header('content-disposition', `attachment; filename="proof-${req.params.digest}.json"`).send(bundle);
      },
    );

    app.post(
      '/evidence/:digest/recognitions',
      {
        config: { submits: true },
        schema: {
          tags: ['evidence'],
          summary: "Recognise another county's evidence (证据互认): enforcement only, once per county",
          params: digestParams,
          body: bodyOf(tx.evidence.recognize.input, 'sha256').optional(),
          response: createdResponses(tx.evidence.recognize),
        },
      },
      async (req, reply) => {
        const r = await submit(ledger, callerOf(req).identity, tx.evidence.recognize, { sha256: req.params.digest, ...(req.body ?? {}) });
        return reply.code(201).send(r);
      },
    );
  };

/** The record of a digest as the caller may see it: undefined when not anchored, 'forbidden' when the caller may not read it. */
async function findEvidence(ledger: Ledger, identity: LedgerIdentity, sha256: string) {
  try {
    return await evaluate(ledger, identity, tx.evidence.get, { sha256 });
  } catch (err) {
    if (err instanceof LedgerError && err.code === 'NOT_FOUND') return undefined;
    if (err instanceof LedgerError && err.code === 'FORBIDDEN') return 'forbidden' as const;
    throw err;
  }
}

/** That a digest is anchored and where (Evidence:Verify, no refs or submitter); undefined when not anchored. */
async function anchoringOf(ledger: Ledger, identity: LedgerIdentity, sha256: string) {
  try {
    return await evaluate(ledger, identity, tx.evidence.verify, { sha256 });
  } catch (err) {
    if (err instanceof LedgerError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  }
}

/** An upload of a file someone else anchored, by a caller who may not read its record: nothing is stored or told of it. */
function alreadyAnchoredElsewhere(): ApiError {
  return new ApiError('CONFLICT', 'this file is already anchored, by a record you may not read (need to know); nothing was submitted or stored');
}
