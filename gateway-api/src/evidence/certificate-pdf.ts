import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/** What an evidence certificate (存证证书) states; every value is taken from the ledger and its block. */
export interface CertificateFacts {
  readonly sha256: string;
  readonly sm3: string;
  readonly sizeBytes: number;
  readonly mediaType: string;
  /** The transaction time, ISO 8601 UTC, and the same in CST (`2026-12-01 20:00:00 CST`). */
  readonly anchoredAt: string;
  readonly anchoredAtCst: string;
  readonly blockNumber: number;
  readonly txId: string;
  readonly validationCode: string;
  /** `两当县 LiangdangMSP`. */
  readonly submittingCounty: string;
  readonly submittingMember: string;
  readonly endorsingCounties: readonly string[];
  readonly verificationUrl: string;
  /** When the gateway made this document, in CST. */
  readonly issuedAtCst: string;
}

/** The CJK font is missing or unusable: certificates cannot be set until CJK_FONT names a usable one. */
export class CjkFontUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CjkFontUnavailable';
  }
}

/** Characters every certificate prints: a font lacking any of them cannot set one. */
const REQUIRED_GLYPHS = '存证书区块交易县背书核验';

const fonts = new Map<string, fontkit.Font>();

/**
 * The font certificates are set in, read once per file: a TrueType or OpenType font, or the first
 * face of a collection (.ttc) that has the Chinese glyphs a certificate needs. A file that is
 * missing, not a font or without those glyphs is refused with a message saying what to do; it is not
 * remembered, so installing the font later needs no restart.
 */
export function loadCjkFont(file: string): fontkit.Font {
  const known = fonts.get(file);
  if (known) return known;
  const hint = 'install fonts-wqy-microhei (apt-get install fonts-wqy-microhei) or set CJK_FONT to a font file with Chinese glyphs';
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new CjkFontUnavailable(`CJK_FONT ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}): ${hint}`);
  }
  let opened: fontkit.Font | fontkit.FontCollection;
  try {
    opened = fontkit.create(bytes);
  } catch (err) {
    throw new CjkFontUnavailable(`CJK_FONT ${file} is not a font fontkit reads (${err instanceof Error ? err.message : String(err)}): ${hint}`);
  }
  const faces = 'fonts' in opened ? opened.fonts : [opened];
  const font = faces.find((face) => [...REQUIRED_GLYPHS].every((ch) => face.hasGlyphForCodePoint(ch.codePointAt(0) as number)));
  if (!font) throw new CjkFontUnavailable(`CJK_FONT ${file} has no face with the Chinese glyphs a certificate needs: ${hint}`);
  fonts.set(file, font);
  return font;
}

// A4 in points, and the layout's fixed measures.
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const LABEL_WIDTH = 132;
const VALUE_X = MARGIN + LABEL_WIDTH;
const VALUE_WIDTH = PAGE.width - MARGIN - VALUE_X;
const INK = '#1a1a1a';
const MUTED = '#666666';
const SEAL = '#b22222';

/**
 * The evidence certificate as a one-page A4 PDF: Chinese first, English second and smaller; the
 * font embedded as a subset (only the glyphs used), so the text stays searchable and extractable;
 * a QR code, drawn as vector squares, to the public verification page, with its URL printed too.
 */
export function renderCertificate(facts: CertificateFacts, font: fontkit.Font): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: `存证证书 Evidence Certificate ${facts.sha256}`,
      Subject: `SHA-256 ${facts.sha256}`,
      Author: 'County Ledger',
      Creator: 'County Ledger gateway',
      Keywords: `evidence certificate; ${facts.sha256}; ${facts.txId}`,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit takes a fontkit font object as it takes a file (its factory checks for layout()).
  doc.registerFont('cjk', font as unknown as PDFKit.Mixins.PDFFontSource);
  doc.font('cjk');

  // Heading.
  doc
    .lineWidth(1.2)
    .strokeColor(SEAL)
    .rect(MARGIN - 16, MARGIN - 20, PAGE.width - 2 * (MARGIN - 16), PAGE.height - 2 * (MARGIN - 20))
    .stroke();
  doc
    .fillColor(SEAL)
    .fontSize(28)
    .text('存证证书', MARGIN, MARGIN, { width: PAGE.width - 2 * MARGIN, align: 'center', characterSpacing: 6 });
  doc
    .fillColor(MUTED)
    .fontSize(12)
    .text('Evidence Certificate', { width: PAGE.width - 2 * MARGIN, align: 'center' });
  doc.moveDown(0.4);
  doc
    .fontSize(10)
    .text('县域共享账本 · 数据存证 (区块链+电子取证)', { width: PAGE.width - 2 * MARGIN, align: 'center' })
    .fontSize(8)
    .text('County Ledger · evidence anchored on a ledger the counties share', { width: PAGE.width - 2 * MARGIN, align: 'center' });
  doc.moveDown(0.8);
  rule(doc);
  doc.moveDown(0.6);

  const rows: Array<[string, string, string, string?]> = [
    ['文件 SHA-256 摘要', 'SHA-256 digest', facts.sha256],
    ['文件 SM3 摘要', 'SM3 digest (GB/T 32905)', facts.sm3],
    ['文件大小', 'Size', `${facts.sizeBytes.toLocaleString('en-US')} 字节 bytes`],
    ['文件类型', 'Media type', facts.mediaType],
    ['存证时间', 'Anchored at', facts.anchoredAtCst, `${facts.anchoredAt} (UTC)`],
    ['区块高度', 'Block number', String(facts.blockNumber)],
    ['交易 ID', 'Transaction ID', facts.txId],
    ['验证状态', 'Validation', facts.validationCode === 'VALID' ? 'VALID 有效' : facts.validationCode],
    ['提交县', 'Submitting county', facts.submittingCounty],
    ['提交成员', 'Submitting member', facts.submittingMember],
    ['背书县', 'Endorsing counties', facts.endorsingCounties.length > 0 ? facts.endorsingCounties.join('、') : '—'],
  ];
  for (const [zh, en, value, note] of rows) field(doc, zh, en, value, note);

  doc.moveDown(0.4);
  rule(doc);
  doc.moveDown(0.8);
  verificationBlock(doc, facts.verificationUrl);

  // Notes at the foot of the page.
  const footY = PAGE.height - MARGIN - 92;
  doc
    .fillColor(INK)
    .fontSize(9)
    .text(
      '本证书依据账本记录及其区块生成。核验时请打开上方地址并拖入原文件：摘要在浏览器中计算，文件不离开您的设备；亦可下载证明包，用 county-ledger-verify 离线核验签名与背书。',
      MARGIN,
      footY,
      { width: PAGE.width - 2 * MARGIN, lineGap: 2 },
    )
    .fillColor(MUTED)
    .fontSize(7.5)
    .text(
      "Made from the ledger's records and block. To verify, open the address above and drop the original file on it: its digests are computed in your browser and the file never leaves your machine; or download the proof bundle and check its signatures and endorsements offline with county-ledger-verify.",
      { width: PAGE.width - 2 * MARGIN, lineGap: 1 },
    )
    .moveDown(0.5)
    .fillColor(INK)
    .fontSize(9)
    .text(`出具时间 Issued: ${facts.issuedAtCst}`, { width: PAGE.width - 2 * MARGIN, align: 'right' });

  doc.end();
  return done;
}

function rule(doc: PDFKit.PDFDocument): void {
  doc
    .lineWidth(0.5)
    .strokeColor('#999999')
    .moveTo(MARGIN, doc.y)
    .lineTo(PAGE.width - MARGIN, doc.y)
    .stroke();
}

/** One row: the Chinese label over its smaller English one on the left, the value (and a note under it) on the right. */
function field(doc: PDFKit.PDFDocument, zh: string, en: string, value: string, note?: string): void {
  const top = doc.y;
  doc
    .fillColor(INK)
    .fontSize(10.5)
    .text(zh, MARGIN, top, { width: LABEL_WIDTH - 8 });
  doc
    .fillColor(MUTED)
    .fontSize(7.5)
    .text(en, MARGIN, doc.y, { width: LABEL_WIDTH - 8 });
  const labelBottom = doc.y;
  let valueBottom: number;
  if (/[\s、]/.test(value)) {
    // Words (a list of counties): wrapped at the column's width.
    doc
      .fillColor(INK)
      .fontSize(10.5)
      .text(value, VALUE_X, top + 1, { width: VALUE_WIDTH, lineGap: 1 });
    valueBottom = doc.y;
  } else {
    // A digest or an ID: the size shrinks until it fits on one line, so it is never cut in two.
    const size = fittingSize(doc, value, VALUE_WIDTH, 10.5, 6);
    doc
      .fillColor(INK)
      .fontSize(size)
      .text(value, VALUE_X, top + 1, { width: VALUE_WIDTH, lineBreak: false });
    valueBottom = top + 1 + doc.currentLineHeight(true);
  }
  if (note) {
    doc
      .fillColor(MUTED)
      .fontSize(7.5)
      .text(note, VALUE_X, valueBottom + 1, { width: VALUE_WIDTH, lineBreak: false });
    valueBottom = doc.y;
  }
  doc.x = MARGIN;
  doc.y = Math.max(labelBottom, valueBottom) + 7;
}

function fittingSize(doc: PDFKit.PDFDocument, text: string, width: number, largest: number, smallest: number): number {
  let size = largest;
  while (size > smallest && doc.fontSize(size).widthOfString(text) > width) size -= 0.25;
  return size;
}

/** The QR code of the verification page, with what it is for and its URL in text beside it. */
function verificationBlock(doc: PDFKit.PDFDocument, url: string): void {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const modules = qr.modules.size;
  const side = 118;
  const cell = side / (modules + 8);
  const x0 = MARGIN;
  const y0 = doc.y;
  // A white quiet zone of four modules around the code, as the QR standard asks.
  doc.rect(x0, y0, side, side).fill('#ffffff');
  for (let row = 0; row < modules; row++) {
    for (let col = 0; col < modules; col++) {
      if (qr.modules.get(row, col)) doc.rect(x0 + (col + 4) * cell, y0 + (row + 4) * cell, cell, cell);
    }
  }
  doc.fill('#000000');
  const textX = x0 + side + 16;
  const textWidth = PAGE.width - MARGIN - textX;
  doc
    .fillColor(INK)
    .fontSize(12)
    .text('扫码核验', textX, y0 + 14, { width: textWidth });
  doc.fillColor(MUTED).fontSize(8).text('Scan to verify this digest on the public verification page', { width: textWidth });
  doc.moveDown(0.6);
  doc.fillColor(INK).fontSize(9).text('核验地址 Verification page:', { width: textWidth });
  // A long URL wraps (pdfkit breaks a word wider than the line) rather than shrinking past reading.
  doc.fontSize(8.5).text(url, { width: textWidth, link: url, lineGap: 1 });
  doc.x = MARGIN;
  doc.y = y0 + side + 8;
}
