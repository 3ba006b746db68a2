/** CSV in and out for bulk work (blacklist checks): RFC 4180 quoting, a BOM so spreadsheet programs read Chinese right. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | undefined>>): string {
  const cell = (v: string | number | boolean | undefined) => {
    const s = v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/**
 * The first column of each non-empty line of pasted text or a CSV file, without a header line of
 * letters only. Credit codes are upper case; an individual's `ind-<hex>` subject ID is lower case.
 */
export function codesFromText(text: string): string[] {
  const codes = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => (line.split(/[,;\t]/)[0] ?? '').replace(/"/g, '').trim())
    .map((c) => (/^ind-/i.test(c) ? c.toLowerCase() : c.toUpperCase()))
    .filter((c) => c.length > 0);
  return codes.length > 0 && /^[A-Z_ ]+$/.test(codes[0] ?? '') && !/\d/.test(codes[0] ?? '') ? codes.slice(1) : codes;
}
