import { embeddedDecoder } from './embedded-decoder';
import { fabricDecoder } from './fabric-decoder';
import { LedgerDecoder } from './view';

/** The decoder of each ledger's raw bytes; a bundle or chain export names its ledger. */
export const decoders: Readonly<Record<'embedded' | 'fabric', LedgerDecoder | undefined>> = {
  embedded: embeddedDecoder,
  fabric: fabricDecoder,
};

export function decoderOf(ledger: 'embedded' | 'fabric'): LedgerDecoder {
  const decoder = decoders[ledger];
  if (!decoder) throw new Error(`this verifier cannot decode ${ledger} ledger bytes yet`);
  return decoder;
}
