import { z } from 'zod';

/** Who did something, as records keep it: the caller's county and member name from its certificate. */
export const actorSchema = z.strictObject({ mspId: z.string(), member: z.string() });
export type Actor = Readonly<z.infer<typeof actorSchema>>;
