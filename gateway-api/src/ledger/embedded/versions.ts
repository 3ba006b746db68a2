/** A key's version: the block and transaction that last wrote it, as Fabric's MVCC uses. */
export interface Version {
  readonly block: number;
  readonly tx: number;
}

export const VERSION_BYTES = 12;

export function encodeVersioned(version: Version, value: Buffer): Buffer {
  const out = Buffer.allocUnsafe(VERSION_BYTES + value.length);
  out.writeUIntBE(0, 0, 2);
  out.writeUIntBE(version.block, 2, 6);
  out.writeUInt32BE(version.tx, 8);
  value.copy(out, VERSION_BYTES);
  return out;
}

export function decodeVersioned(stored: Buffer): { version: Version; value: Buffer } {
  return {
    version: { block: stored.readUIntBE(2, 6), tx: stored.readUInt32BE(8) },
    value: stored.subarray(VERSION_BYTES),
  };
}

export function sameVersion(a: Version | undefined, b: Version | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.block === b.block && a.tx === b.tx;
}

export function versionString(v: Version | undefined): string | null {
  return v === undefined ? null : `${v.block}:${v.tx}`;
}
