import { ref } from 'vue';
import { api } from '../../../api/client';
import { session } from '../../../session';

/** The fund's answers as routes/fund.ts and routes/tax.ts give them (chaincode fund/records.ts, tax/transactions.ts). */
export interface Actor {
  mspId: string;
  member: string;
}
export interface County {
  mspId: string;
  name: string;
  division: string;
}
export interface Balance {
  contributedFen: string;
  committedFen: string;
  availableFen: string;
}
export interface Contribution {
  id: string;
  county: string;
  amountFen: number;
  paymentRef: string;
  note?: string;
  recordedBy: Actor;
  at: string;
  txId: string;
}
export interface MetricDefinition {
  metric: 'trade-volume' | 'carbon-sink' | 'indicator';
  name?: string;
  weightBp: number;
  eligibleTotal: string;
}
export interface Allocation {
  county: string;
  values: Record<string, string>;
  eligible: boolean;
  restriction?: string;
  amountFen: number;
}
export interface Round {
  id: string;
  periodFrom: string;
  periodTo: string;
  poolFen: number;
  metrics: MetricDefinition[];
  allocations: Allocation[];
  approvalsNeeded: number;
  approvals: Array<{ county: string; by: Actor; at: string; txId: string }>;
  status: 'proposed' | 'finalized' | 'withdrawn';
  note?: string;
  proposedBy: Actor;
  proposedAt: string;
  proposeTxId: string;
  finalizedAt?: string;
  finalizeTxId?: string;
  withdrawal?: { by: Actor; at: string; txId: string; reason: string };
  disbursedFen?: Record<string, number>;
  pendingFen?: Record<string, number>;
}
export interface Disbursement {
  id: string;
  roundId: string;
  county: string;
  amountFen: number;
  paymentRef: string;
  note?: string;
  status: 'recorded' | 'confirmed' | 'disputed' | 'cancelled';
  recordedBy: Actor;
  at: string;
  txId: string;
  dispute?: { note?: string };
  cancellation?: { note?: string };
}
export interface TaxStatement {
  countyA: string;
  countyB: string;
  from: string;
  to: string;
  trades: number;
  priceFen: string;
  taxFen: string;
  shareAFen: string;
  shareBFen: string;
  days: Array<{ date: string; trades: number; priceFen: string; taxFen: string; shareAFen: string; shareBFen: string }>;
  defaultTaxRateBp: number;
}

/** What a submitted transaction answers (201): its transaction, block and result. */
export interface Submitted<T> {
  txId: string;
  blockNumber: number;
  result: T;
}

/** The metric's key in an allocation's `values` (as the chaincode names it). */
export const metricKey = (m: { metric: string; name?: string }): string => (m.metric === 'indicator' ? `indicator:${m.name}` : m.metric);

/** The signed-in member's county. */
export const myCounty = (): string => session.me.value?.mspId ?? '';

/** The registered counties, read once per page. */
const counties = ref<County[]>([]);
let loading: Promise<void> | undefined;
export function useCounties() {
  loading ??= api
    .get<{ items: County[] }>('/counties')
    .then((r) => void (counties.value = r.items))
    .catch(() => {
      loading = undefined;
    });
  return counties;
}
