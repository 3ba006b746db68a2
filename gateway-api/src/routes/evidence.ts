import { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evidenceRefsInput } from '../../../chaincode/src/evidence/schemas';
import { mediaTypeSchema } from '../../../chaincode/src/kernel/ids';
import { ApiError } from '../errors';
import { BlobStore, digestStream } from '../evidence/blob-store';
import { evaluateJson, submitJson } from '../ledger/calls';
import { LedgerError } from '../ledger/errors';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { errorResponses, submittedSchema } from '../schemas/common';
import { describeIssues } from '../../../chaincode/src/kernel/validate';

const digestParams = z.object({ digest: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest') });

interface EvidenceView {
  record: { sha256: string; txId: string; mediaType: string; sizeBytes: number };
  recognitions: unknown[];
}

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

export const evidenceRoutes = (ledger: Ledger, blobs: BlobStore, maxBytes: number): FastifyPluginAsync => async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/evidence',
    {
      config: { submits: true },
      schema: {
        tags: ['evidence'],
        summary:
          'Upload an evidence file (multipart/form-data: optional fields "refs" (JSON: subjectIds, caseIds, orderIds) and "description" BEFORE the "file" part). The file is stored by its SHA-256; its digests are anchored on the ledger. Uploading a stored file returns the existing record.',
        consumes: ['multipart/form-data'],
        response: { 200: z.unknown(), 201: z.unknown(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const part = await filePart(req);
      let refs: unknown;
      const refsText = fieldValue(part, 'refs');
      if (refsText !== undefined) {
        try {
          refs = JSON.parse(refsText);
        } catch {
          throw new ApiError('INVALID_ARGUMENT', 'refs must be JSON, e.g. {"orderIds":["ord-1"]}');
        }
        const parsed = evidenceRefsInput.safeParse(refs);
        if (!parsed.success) throw new ApiError('INVALID_ARGUMENT', `refs: ${describeIssues(parsed.error)}`);
      }
      const description = fieldValue(part, 'description');
      const mediaType = mediaTypeSchema.safeParse(part.mimetype.toLowerCase()).success ? part.mimetype.toLowerCase() : 'application/octet-stream';
      const stored = await blobs.put(part.file, maxBytes);
      if (part.file.truncated) throw new ApiError('PAYLOAD_TOO_LARGE', `the file exceeds the ${maxBytes}-byte limit`);
      const existing = await findEvidence(ledger, caller.identity, stored.sha256);
      if (existing) return reply.code(200).send({ existing: true, ...existing });
      try {
        const anchored = await submitJson(ledger, caller.identity, 'Evidence:Anchor', {
          sha256: stored.sha256,
          sm3: stored.sm3,
          sizeBytes: stored.sizeBytes,
          mediaType,
          ...(refs !== undefined ? { refs } : {}),
          ...(description ? { description } : {}),
        });
        return reply.code(201).send({ existing: false, ...anchored });
      } catch (err) {
        // Another upload of the same file won the race: answer with its record.
        if (err instanceof LedgerError && err.code === 'CONFLICT') {
          const raced = await findEvidence(ledger, caller.identity, stored.sha256);
          if (raced) return reply.code(200).send({ existing: true, ...raced });
        }
        throw err;
      }
    },
  );

  app.post(
    '/evidence/verify',
    {
      schema: {
        tags: ['evidence', 'audit'],
        summary:
          'Verify a file: recompute its digests and, if anchored, show the transaction, block number, validation code, timestamp and endorsing organisations read from the block',
        consumes: ['multipart/form-data'],
        response: { 200: z.unknown(), ...errorResponses },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const part = await filePart(req);
      const digests = await digestStream(part.file, maxBytes);
      if (part.file.truncated) throw new ApiError('PAYLOAD_TOO_LARGE', `the file exceeds the ${maxBytes}-byte limit`);
      const found = await findEvidence(ledger, caller.identity, digests.sha256);
      if (!found) return { match: false, digests };
      const tx = await ledger.getTransaction(found.record.txId);
      return {
        match: tx?.validationCode === 'VALID' && found.record.sm3 === digests.sm3,
        digests,
        record: found.record,
        recognitions: found.recognitions,
        transaction: tx ?? null,
      };
    },
  );

  app.get(
    '/evidence/:digest',
    { schema: { tags: ['evidence'], summary: 'The evidence record of a SHA-256 digest', params: digestParams, response: { 200: z.unknown(), ...errorResponses } } },
    async (req) => evaluateJson(ledger, callerOf(req).identity, 'Evidence:Get', { sha256: req.params.digest }),
  );

  app.get(
    '/evidence/:digest/content',
    { schema: { tags: ['evidence'], summary: 'Download the evidence file', params: digestParams } },
    async (req, reply) => {
      const view = await evaluateJson<EvidenceView>(ledger, callerOf(req).identity, 'Evidence:Get', { sha256: req.params.digest });
      const file = await blobs.open(req.params.digest);
      if (!file) throw new ApiError('NOT_FOUND', 'the ledger has the record but this gateway does not hold the file');
      return reply.type(view.record.mediaType).header('content-length', file.sizeBytes).send(file.stream);
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
        body: z.strictObject({ note: z.string().max(500).optional() }).optional(),
        response: { 201: submittedSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await submitJson(ledger, callerOf(req).identity, 'Evidence:Recognize', { sha256: req.params.digest, ...(req.body ?? {}) });
      return reply.code(201).send(r);
    },
  );
};

async function findEvidence(ledger: Ledger, identity: Parameters<typeof evaluateJson>[1], sha256: string) {
  try {
    return await evaluateJson<EvidenceView & { record: { sm3: string } }>(ledger, identity, 'Evidence:Get', { sha256 });
  } catch (err) {
    if (err instanceof LedgerError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  }
}
