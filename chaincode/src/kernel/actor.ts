import { z } from 'zod';

/** Who did something, as records keep it: the caller's county and member name from its certificate. */
export const actorSchema = z.strictObject({ mspId: z.string(), member: z.string() });
export type Actor = Readonly<z.infer<typeof actorSchema>>;

/** The actor part of a caller (or of any record naming one), without the rest. */
export function actorOf(who: { readonly mspId: string; readonly member: string }): Actor {
  return { mspId: who.mspId, member: who.member };
}
