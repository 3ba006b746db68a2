import { tx } from '../../../chaincode/src/public';
import { ApiError } from '../errors';
import { evaluate } from '../ledger/calls';
import { Ledger, LedgerIdentity } from '../ledger/ledger';
import { anchoringTransaction, CountyDirectory, cstDateTime, verificationUrl } from './certificate-facts';
import { CjkFontUnavailable, loadCjkFont, renderCertificate } from './certificate-pdf';

/** What the certificate route needs besides the ledger. */
export interface CertificateSettings {
  /** Where the web console is reached (PUBLIC_BASE_URL): the QR code points to its verification page. */
  readonly publicBaseUrl: () => string;
  /** The CJK font file (CJK_FONT). */
  readonly cjkFont: string;
  readonly counties: CountyDirectory;
}

/**
 * The evidence certificate (存证证书) of an anchored digest, for a caller who may read its record:
 * the chaincode's need-to-know rule decides (Evidence:Get as the caller, FORBIDDEN or NOT_FOUND
 * otherwise), and block, validation and endorsers come from the block itself. A missing font is
 * UNAVAILABLE (logged with what to install), after the access check so it tells an outsider nothing.
 */
export async function evidenceCertificate(ledger: Ledger, identity: LedgerIdentity, sha256: string, settings: CertificateSettings): Promise<Buffer> {
  const { record } = await evaluate(ledger, identity, tx.evidence.get, { sha256 });
  const transaction = await anchoringTransaction(ledger, record.txId);
  let font;
  try {
    font = loadCjkFont(settings.cjkFont);
  } catch (err) {
    if (err instanceof CjkFontUnavailable) throw new ApiError('UNAVAILABLE', `evidence certificates are unavailable: ${err.message}`);
    throw err;
  }
  return renderCertificate(
    {
      sha256: record.sha256,
      sm3: record.sm3,
      sizeBytes: record.sizeBytes,
      mediaType: record.mediaType,
      anchoredAt: record.anchoredAt,
      anchoredAtCst: cstDateTime(record.anchoredAt),
      blockNumber: transaction.blockNumber,
      txId: record.txId,
      validationCode: transaction.validationCode,
      submittingCounty: settings.counties.labelOf(record.submitter.mspId),
      submittingMember: record.submitter.member,
      endorsingCounties: transaction.endorsingOrganisations.map((mspId) => settings.counties.labelOf(mspId)),
      verificationUrl: verificationUrl(settings.publicBaseUrl(), record.sha256),
      issuedAtCst: cstDateTime(new Date().toISOString()),
    },
    font,
  );
}
