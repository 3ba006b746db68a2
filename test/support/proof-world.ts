import { createHash } from 'node:crypto';
import { LightMyRequestResponse } from 'fastify';
import { AppFixture, openAppFixture } from './app-fixture';
import { FENGXIAN, HUIXIAN, LIANGDANG } from './ledger-fixture';
import { multipartBody } from './multipart';
import type { LedgerFixtureOptions } from './ledger-fixture';

/** An app with an anchored evidence file and the members around it: its submitter, an auditor, and members who may not read it. */
export interface ProofWorld {
  readonly f: AppFixture;
  readonly file: Buffer;
  readonly sha256: string;
  readonly keys: { readonly merchant: string; readonly auditor: string; readonly otherMerchant: string; readonly noRole: string };
  /** GET /evidence/{sha256}/proof as a member. */
  proof(key: string | undefined, sha256?: string): Promise<LightMyRequestResponse>;
  /** Uploads (anchors) a file as the merchant. */
  anchor(content: Buffer): Promise<LightMyRequestResponse>;
}

export async function openProofWorld(options: LedgerFixtureOptions & { overMessagePort?: boolean } = {}): Promise<ProofWorld> {
  const f = await openAppFixture({ maxEvidenceBytes: 1 << 20, ...options });
  await f.grant(LIANGDANG, 'merchant1', 'merchant');
  await f.grant(FENGXIAN, 'auditor1', 'auditor');
  await f.grant(HUIXIAN, 'merchant2', 'merchant');
  const keys = {
    merchant: await f.keyFor(LIANGDANG, 'merchant1'),
    auditor: await f.keyFor(FENGXIAN, 'auditor1'),
    otherMerchant: await f.keyFor(HUIXIAN, 'merchant2'),
    noRole: await f.keyFor(HUIXIAN, 'nobody'),
  };
  const anchor = (content: Buffer) => {
    const body = multipartBody({ content, contentType: 'application/pdf', name: 'report.pdf' }, { description: '检测报告 lot 7' });
    return f.app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      payload: body.payload,
      headers: { ...body.headers, authorization: `Bearer ${keys.merchant}` },
    });
  };
  const file = Buffer.from('%PDF-1.4\n两当县 soil test report for lot 7\n%%EOF\n');
  const anchored = await anchor(file);
  if (anchored.statusCode !== 201) throw new Error(`anchoring failed: ${anchored.body}`);
  const sha256 = createHash('sha256').update(file).digest('hex');
  return {
    f,
    file,
    sha256,
    keys,
    anchor,
    proof: (key, digest = sha256) => f.request('GET', `/api/v1/evidence/${digest}/proof`, key),
  };
}
