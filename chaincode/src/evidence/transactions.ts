import { z } from 'zod';
import { evaluated, submitted } from '../kernel/transaction';
import { anchorEvidenceInput, evidenceDigestInput, recognizeEvidenceInput } from './schemas';

/** The Evidence contract's transactions (see evidence-contract.ts). */
export const evidenceTransactions = {
  anchor: submitted('Evidence', 'Anchor', anchorEvidenceInput, z.unknown()),
  get: evaluated('Evidence', 'Get', evidenceDigestInput, z.unknown()),
  recognize: submitted('Evidence', 'Recognize', recognizeEvidenceInput, z.unknown()),
};
