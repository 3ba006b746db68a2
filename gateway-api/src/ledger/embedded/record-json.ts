import { canonicalJson } from '../../verify/canonical-json';
import { RecordedEndorsement, TxRecord } from '../../verify/embedded-format';

/**
 * The canonical JSON of a transaction record, put together from the canonical JSON of its parts,
 * which the endorser has already made for the signatures (the proposal's creator, transaction and
 * timestamp; the response, read/write set and event): the same bytes as canonicalJson(record)
 * (test/ledger/record-json.test.ts), without walking the record a third time. Keys in canonical
 * (sorted) order; every field of a TxRecord is always present.
 */
export interface RecordParts {
  readonly creatorJson: string;
  readonly timestampJson: string;
  readonly transactionJson: string;
  readonly eventJson: string;
  readonly responseJson: string;
  readonly rwsetJson: string;
}

/** `{"certificate":…,"mspId":…}`: an identity as the proposal and the endorsement bytes carry it, kept per identity object. */
const identityJsons = new WeakMap<object, string>();
export function identityJson(identity: { readonly mspId: string; readonly certificate: string }): string {
  let json = identityJsons.get(identity);
  if (json === undefined) {
    json = canonicalJson({ certificate: identity.certificate, mspId: identity.mspId });
    identityJsons.set(identity, json);
  }
  return json;
}

/** The creator's canonical proposal (verify/embedded-format.ts proposalBytes) from its parts. */
export function proposalJsonOf(
  p: Pick<TxRecord, 'channelId' | 'chaincode' | 'txId'>,
  parts: Pick<RecordParts, 'creatorJson' | 'timestampJson' | 'transactionJson'>,
): string {
  return (
    `{"chaincode":${JSON.stringify(p.chaincode)},"channelId":${JSON.stringify(p.channelId)},"creator":${parts.creatorJson},` +
    `"timestamp":${parts.timestampJson},"transaction":${parts.transactionJson},"txId":${JSON.stringify(p.txId)}}`
  );
}

/** The response the endorsers sign (verify/embedded-format.ts responseJson) from its parts. */
export function responseJsonOf(proposalHash: string, parts: Pick<RecordParts, 'eventJson' | 'responseJson' | 'rwsetJson'>): string {
  return `{"event":${parts.eventJson},"proposalHash":${JSON.stringify(proposalHash)},"response":${parts.responseJson},"rwset":${parts.rwsetJson}}`;
}

/** JSON strings of the endorsing peers' certificates: a few, in every record. Bounded, in case certificates keep changing. */
const certificateJsons = new Map<string, string>();
function certificateJson(certificate: string): string {
  let json = certificateJsons.get(certificate);
  if (json === undefined) {
    if (certificateJsons.size >= 64) certificateJsons.clear();
    json = JSON.stringify(certificate);
    certificateJsons.set(certificate, json);
  }
  return json;
}

function endorsementJson(e: RecordedEndorsement): string {
  return `{"certificate":${certificateJson(e.certificate)},"endorser":${JSON.stringify(e.endorser)},"mspId":${JSON.stringify(e.mspId)},"signature":${JSON.stringify(e.signature)}}`;
}

export function recordJsonOf(record: TxRecord, parts: RecordParts): string {
  return (
    `{"chaincode":${JSON.stringify(record.chaincode)},"channelId":${JSON.stringify(record.channelId)},"creator":${parts.creatorJson},` +
    `"endorsements":[${record.endorsements.map(endorsementJson).join(',')}],"event":${parts.eventJson},` +
    `"proposalHash":${JSON.stringify(record.proposalHash)},"response":${parts.responseJson},"rwset":${parts.rwsetJson},` +
    `"signature":${JSON.stringify(record.signature)},"timestamp":${parts.timestampJson},"transaction":${parts.transactionJson},"txId":${JSON.stringify(record.txId)}}`
  );
}
