import { z } from 'zod';
import { ChainTrust, chainTrustSchema } from './bundle';
import { ChainSource } from './chain-audit';

/**
 * A chain export (`GET /audit/ledger/export`), the input of `county-ledger-verify chain`: JSON
 * lines, first a header with the ledger kind, the height and the roots of trust, then one line
 * per block from block 0 with its stored bytes (base64).
 */
export const CHAIN_EXPORT_FORMAT = 'county-ledger-chain/1';

export const chainExportHeaderSchema = z.strictObject({
  format: z.literal(CHAIN_EXPORT_FORMAT),
  ledger: z.enum(['embedded', 'fabric']),
  height: z.number().int().min(0),
  trust: chainTrustSchema,
});
export type ChainExportHeader = z.infer<typeof chainExportHeaderSchema>;

const blockLineSchema = z.strictObject({ number: z.number().int().min(0), raw: z.string() });

/** The lines of an export, each ending in a newline, reading one block at a time. */
export async function* chainExportLines(
  ledger: 'embedded' | 'fabric',
  height: number,
  trust: ChainTrust,
  block: (n: number) => Promise<Buffer | undefined>,
): AsyncGenerator<string> {
  const header: ChainExportHeader = { format: CHAIN_EXPORT_FORMAT, ledger, height, trust };
  yield `${JSON.stringify(header)}\n`;
  for (let n = 0; n < height; n++) {
    const raw = await block(n);
    if (!raw) throw new Error(`block ${n} is missing`);
    yield `${JSON.stringify({ number: n, raw: raw.toString('base64') })}\n`;
  }
}

/** Splits a stream of text chunks into lines. */
export async function* linesOf(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  // One decoder for the whole stream: a character split between two chunks is decoded whole.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      if (line.trim()) yield line;
    }
  }
  rest += decoder.decode();
  if (rest.trim()) yield rest;
}

/** Reads an export's header and answers it with the blocks as a chain source (read in order, as the audit reads them). */
export async function readChainExport(lines: AsyncIterable<string>): Promise<{ header: ChainExportHeader; source: ChainSource }> {
  const it = lines[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw new Error('the export is empty');
  const parsed = chainExportHeaderSchema.safeParse(safeJson(first.value));
  if (!parsed.success)
    throw new Error(`not a ${CHAIN_EXPORT_FORMAT} export: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const header = parsed.data;
  let expected = 0;
  const source: ChainSource = {
    height: header.height,
    async block(n: number) {
      if (n !== expected) throw new Error(`blocks are read in order: asked for ${n}, next is ${expected}`);
      expected++;
      const next = await it.next();
      if (next.done) return undefined;
      const line = blockLineSchema.safeParse(safeJson(next.value));
      if (!line.success || line.data.number !== n) return undefined;
      return Buffer.from(line.data.raw, 'base64');
    },
  };
  return { header, source };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
