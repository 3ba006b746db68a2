import { embeddedDecoder } from './embedded-decoder';
import { LedgerDecoder } from './view';

/** The decoder of each ledger's raw bytes; a bundle or chain export names its ledger. */
export const decoders: Readonly<Record<'embedded' | 'fabric', LedgerDecoder | undefined>> = {
  embedded: embeddedDecoder,
  // The Fabric decoder (Envelope and Block protobufs) is added with the Fabric proof bundles.
  fabric: undefined,
};

export function decoderOf(ledger: 'embedded' | 'fabric'): LedgerDecoder {
  const decoder = decoders[ledger];
  if (!decoder) throw new Error(`this verifier cannot decode ${ledger} ledger bytes yet`);
  return decoder;
}
