import { FastifyPluginAsync } from 'fastify';
import { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tx } from '../../../chaincode/src/public';
import { ApiError } from '../errors';
import { submit } from '../ledger/calls';
import { Ledger } from '../ledger/ledger';
import { callerOf } from '../plugins/auth';
import { bodyOf, createdResponses, memberIdSchema, splitMemberId } from '../schemas/common';

/** Certificate revocation: a county admin revokes a certificate of a member of its own county. */
export const certificateRoutes =
  (ledger: Ledger): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/members/:id/certificate/revocation',
      {
        config: { submits: true },
        schema: {
          tags: ['members'],
          summary:
            "Revoke a certificate of a member of your own county (county admin): every transaction it signs is refused from then on. The body holds the certificate's PEM; the ledger names it by the SHA-256 of its DER.",
          params: z.object({ id: memberIdSchema }),
          body: bodyOf(tx.membership.revokeCertificate.input, 'member'),
          response: createdResponses(tx.membership.revokeCertificate),
        },
      },
      async (req, reply) => {
        const target = splitMemberId(req.params.id);
        const caller = callerOf(req);
        // The chaincode refuses it as well; refused here, no proposal is made.
        if (target.mspId !== caller.mspId) throw new ApiError('FORBIDDEN', `a county admin of ${caller.mspId} cannot revoke certificates of ${target.mspId}`);
        const result = await submit(ledger, caller.identity, tx.membership.revokeCertificate, { member: target.member, ...req.body });
        return reply.code(201).send(result);
      },
    );
  };
