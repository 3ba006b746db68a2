import { Context } from 'fabric-contract-api';
import { invalidArgument } from './errors';

/** Who is calling, read from the transaction creator's X.509 certificate. */
export interface Caller {
  readonly mspId: string;
  /** Member name: the certificate subject's common name, unique within the county's MSP. */
  readonly member: string;
  readonly organisationalUnits: readonly string[];
  /** Fabric NodeOU convention: an identity whose certificate carries OU=admin administers its organisation. */
  readonly isCountyAdmin: boolean;
}

export function callerOf(ctx: Context): Caller {
  const id = ctx.clientIdentity.getID();
  const subject = id.split('::')[1] ?? '';
  const parts = parseDn(subject);
  const cn = parts.filter(([k]) => k === 'CN').map(([, v]) => v)[0];
  if (!cn) throw invalidArgument('caller certificate has no common name');
  const ous = parts.filter(([k]) => k === 'OU').map(([, v]) => v);
  return {
    mspId: ctx.clientIdentity.getMSPID(),
    member: cn,
    organisationalUnits: ous,
    isCountyAdmin: ous.includes('admin'),
  };
}

/** Parses fabric-shim's "/C=CN/OU=admin/CN=name" subject form (slashes in values are escaped). */
function parseDn(dn: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const pieces = dn.split(/(?<!\\)\//).filter((p) => p.length > 0);
  for (const piece of pieces) {
    const eq = piece.indexOf('=');
    if (eq > 0) out.push([piece.slice(0, eq), piece.slice(eq + 1).replace(/\\\//g, '/')]);
  }
  return out;
}
