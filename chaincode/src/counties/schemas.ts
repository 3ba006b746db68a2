import { z } from 'zod';
import { creditCodeSchema, mspIdSchema } from '../kernel/schemas';

export const registerCountyInput = z.strictObject({
  name: z.string().min(1).max(100),
  division: z.string().regex(/^\d{6}$/, 'must be a six-digit administrative division code'),
  creditCode: creditCodeSchema.optional(),
});
export const countyRefInput = z.strictObject({ mspId: mspIdSchema });
