import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { session } from './session';

/**
 * Hash routes: the gateway serves one index.html, and links made elsewhere keep working — the
 * evidence certificate's QR code opens `<PUBLIC_BASE_URL>/#/verify/<sha256>`.
 */
export const WORKSPACES = ['enforcement', 'regulator', 'merchant', 'verifier', 'finance', 'auditor'] as const;
export type Workspace = (typeof WORKSPACES)[number];

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./pages/portal/PortalHome.vue') },
  { path: '/blacklist', name: 'blacklist', component: () => import('./pages/portal/BlacklistLookup.vue') },
  { path: '/verify/:sha256?', name: 'verify', component: () => import('./pages/portal/VerifyEvidence.vue') },
  { path: '/fund', name: 'fund', component: () => import('./pages/portal/FundAllocations.vue') },
  { path: '/trades', name: 'trades', component: () => import('./pages/portal/TradeStatistics.vue') },
  { path: '/prices', name: 'prices', component: () => import('./pages/portal/PriceIndexes.vue') },
  { path: '/signin', name: 'signin', component: () => import('./pages/SignIn.vue') },
  { path: '/work/enforcement', name: 'enforcement', component: () => import('./pages/work/EnforcementWorkspace.vue'), meta: { role: 'enforcement' } },
  { path: '/work/regulator', name: 'regulator', component: () => import('./pages/work/RegulatorWorkspace.vue'), meta: { role: 'regulator' } },
  { path: '/work/merchant', name: 'merchant', component: () => import('./pages/work/MerchantWorkspace.vue'), meta: { role: 'merchant' } },
  { path: '/work/verifier', name: 'verifier', component: () => import('./pages/work/VerifierWorkspace.vue'), meta: { role: 'verifier' } },
  { path: '/work/finance', name: 'finance', component: () => import('./pages/work/FinanceWorkspace.vue'), meta: { role: 'finance' } },
  { path: '/work/auditor', name: 'auditor', component: () => import('./pages/work/AuditorWorkspace.vue'), meta: { role: 'auditor' } },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

// A workspace needs a signed-in member holding its role; otherwise sign in first and come back.
router.beforeEach((to) => {
  const role = to.meta.role as string | undefined;
  if (!role) return true;
  if (!session.signedIn.value) return { name: 'signin', query: { next: to.fullPath } };
  return session.has(role) ? true : { name: 'signin', query: { next: to.fullPath, missing: role } };
});
