import { commonMessages } from './common';
import { portalMessages } from '../pages/portal/portal.messages';
import { enforcementMessages } from '../pages/work/enforcement.messages';
import { regulatorMessages } from '../pages/work/regulator.messages';
import { merchantMessages } from '../pages/work/merchant.messages';
import { verifierMessages } from '../pages/work/verifier.messages';
import { financeMessages } from '../pages/work/finance.messages';
import { auditorMessages } from '../pages/work/auditor.messages';

/**
 * Each area keeps its words next to its pages, Chinese and English with the same keys; they meet
 * here, one top-level namespace per area. Plain data: test/console/messages.test.ts reads it too.
 */
export const AREAS = {
  commonMessages,
  portalMessages,
  enforcementMessages,
  regulatorMessages,
  merchantMessages,
  verifierMessages,
  financeMessages,
  auditorMessages,
};

export const messages = {
  zh: Object.assign({}, ...Object.values(AREAS).map((a) => a.zh)) as Record<string, unknown>,
  en: Object.assign({}, ...Object.values(AREAS).map((a) => a.en)) as Record<string, unknown>,
};
