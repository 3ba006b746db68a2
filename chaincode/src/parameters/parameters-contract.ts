import { Context, Info, Transaction } from 'fabric-contract-api';
import { actorOf } from '../kernel/actor';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { conflict, forbidden, ruleViolation } from '../kernel/errors';
import { emit } from '../kernel/events';
import { Caller } from '../kernel/identity';
import { checkPageSize, getRecord, listByIndex, listRecords, mustGetRecord, putRecord } from '../kernel/state';
import { TxTime, addDays, cstDate, today, txTime } from '../kernel/time';
import { parseInput } from '../kernel/validate';
import { requireRole } from '../membership/access';
import { County, allCounties } from '../counties/counties';
import {
  DEFAULT_PARAMETERS,
  PROPOSAL_OPEN_DAYS,
  applyChanges,
  isMajority,
  majorityOf,
  parameterSetProblems,
  readCurrentParameters,
  valuesOf,
} from './parameters';
import { CurrentParameterSets, CurrentParameters, ParameterChanges, Proposal, ProposalApproval, ProposalView, Proposals } from './records';
import { ParameterValues } from './schemas';
import { parametersTransactions } from './transactions';

export const ParametersEvents = {
  Proposed: 'parameters.Proposed',
  Approved: 'parameters.Approved',
  Adopted: 'parameters.Adopted',
  Withdrawn: 'parameters.Withdrawn',
} as const;

/** A proposal with its state on `day`: an open one past its last day has expired. */
function viewOf(p: Proposal, day: string): ProposalView {
  return { ...p, state: p.status === 'open' && day > p.openUntil ? 'expired' : p.status };
}

/** The caller as a regulator of a registered county, and the registered counties; only they vote. */
async function votingRegulator(ctx: Context): Promise<{ regulator: Caller; counties: County[] }> {
  const regulator = await requireRole(ctx, 'regulator');
  const counties = await allCounties(ctx);
  if (!counties.some((c) => c.mspId === regulator.mspId)) {
    throw forbidden(`${regulator.mspId} is not a registered county; only registered counties vote on the shared parameters`);
  }
  return { regulator, counties };
}

/** CONFLICT unless the proposal may still be approved or withdrawn on `day`. */
function requireOpen(p: Proposal, day: string): void {
  if (p.status !== 'open') throw conflict(`parameter proposal ${p.id} is ${p.status}`);
  if (day > p.openUntil) throw conflict(`parameter proposal ${p.id} expired after ${p.openUntil}`);
}

/** RULE_VIOLATION naming the parameters when a complete set may not be in force. */
function requireConsistent(values: ParameterValues): void {
  const problems = parameterSetProblems(values);
  if (problems.length > 0) throw ruleViolation(`the parameters would be inconsistent: ${problems.join('; ')}`);
}

@Info({
  title: 'Parameters',
  description: 'Shared parameters (risk rules, deadlines, blacklist publication periods), changed only by a majority of the registered counties',
})
export class ParametersContract extends CountyContract {
  constructor() {
    super('Parameters');
  }

  /**
   * A regulator of a registered county proposes a change; its county counts as approving. With a
   * majority already (a single registered county), it is adopted in this transaction.
   */
  @Transaction()
  async Propose(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(parametersTransactions.propose.input, inputJson);
    const { regulator, counties } = await votingRegulator(ctx);
    const current = await readCurrentParameters(ctx);
    const next = applyChanges(valuesOf(current), input.changes);
    requireConsistent(next);
    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    const id = `pp-${txId.slice(0, 32)}`;
    if (await getRecord(ctx, Proposals, [id])) throw conflict(`parameter proposal ${id} already exists`);
    const proposal: Proposal = {
      id,
      changes: input.changes,
      note: input.note,
      proposingCounty: regulator.mspId,
      proposedBy: actorOf(regulator),
      proposedAt: time.iso,
      proposeTxId: txId,
      openUntil: addDays(cstDate(time.epochMs), PROPOSAL_OPEN_DAYS),
      approvals: [{ county: regulator.mspId, by: actorOf(regulator), at: time.iso, txId }],
      registeredCounties: counties.length,
      approvalsNeeded: majorityOf(counties.length),
      status: 'open',
    };
    if (isMajority(1, counties.length)) {
      const adopted = await adopt(ctx, proposal, undefined, current, next, time, txId);
      return canonicalJson(viewOf(adopted, cstDate(time.epochMs)));
    }
    await putRecord(ctx, Proposals, proposal);
    emit(ctx, ParametersEvents.Proposed, {
      proposalId: id,
      county: regulator.mspId,
      parameters: Object.keys(input.changes).sort(),
      openUntil: proposal.openUntil,
      approvals: 1,
      approvalsNeeded: proposal.approvalsNeeded,
    });
    return canonicalJson(viewOf(proposal, cstDate(time.epochMs)));
  }

  /**
   * A regulator of another registered county approves, once per county. The approval that makes
   * more than half of the counties registered now is the adoption: the changes apply on top of the
   * values then in force, and the whole resulting set is checked again.
   */
  @Transaction()
  async Approve(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(parametersTransactions.approve.input, inputJson);
    const { regulator, counties } = await votingRegulator(ctx);
    const previous = await mustGetRecord(ctx, Proposals, [input.proposalId], 'parameter proposal');
    const time = txTime(ctx);
    const day = cstDate(time.epochMs);
    requireOpen(previous, day);
    if (previous.approvals.some((a) => a.county === regulator.mspId)) {
      throw conflict(`${regulator.mspId} has already approved parameter proposal ${previous.id}`);
    }
    const txId = ctx.stub.getTxID();
    const vote: ProposalApproval = { county: regulator.mspId, by: actorOf(regulator), at: time.iso, txId };
    const registered = new Set(counties.map((c) => c.mspId));
    const approvals = [...previous.approvals, vote];
    const votes = approvals.filter((a) => registered.has(a.county)).length;
    const proposal: Proposal = { ...previous, approvals, registeredCounties: counties.length, approvalsNeeded: majorityOf(counties.length) };
    if (isMajority(votes, counties.length)) {
      const current = await readCurrentParameters(ctx);
      const next = applyChanges(valuesOf(current), previous.changes);
      requireConsistent(next);
      const adopted = await adopt(ctx, proposal, previous, current, next, time, txId);
      return canonicalJson(viewOf(adopted, day));
    }
    await putRecord(ctx, Proposals, proposal, previous);
    emit(ctx, ParametersEvents.Approved, { proposalId: proposal.id, county: regulator.mspId, approvals: votes, approvalsNeeded: proposal.approvalsNeeded });
    return canonicalJson(viewOf(proposal, day));
  }

  /** A regulator of the proposing county withdraws an open proposal. */
  @Transaction()
  async Withdraw(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(parametersTransactions.withdraw.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const previous = await mustGetRecord(ctx, Proposals, [input.proposalId], 'parameter proposal');
    if (regulator.mspId !== previous.proposingCounty) {
      throw forbidden(`parameter proposal ${previous.id} is withdrawn by a regulator of ${previous.proposingCounty}, not ${regulator.mspId}`);
    }
    const time = txTime(ctx);
    const day = cstDate(time.epochMs);
    requireOpen(previous, day);
    const proposal: Proposal = {
      ...previous,
      status: 'withdrawn',
      withdrawnBy: actorOf(regulator),
      withdrawnAt: time.iso,
      withdrawTxId: ctx.stub.getTxID(),
      ...(input.note ? { withdrawNote: input.note } : {}),
    };
    await putRecord(ctx, Proposals, proposal, previous);
    emit(ctx, ParametersEvents.Withdrawn, { proposalId: proposal.id, county: regulator.mspId });
    return canonicalJson(viewOf(proposal, day));
  }

  /** The parameters in force (the defaults, version 0, until a change is adopted). */
  @Transaction(false)
  async Current(ctx: Context): Promise<string> {
    const current = await readCurrentParameters(ctx);
    return canonicalJson({
      version: current?.version ?? 0,
      values: valuesOf(current),
      defaults: DEFAULT_PARAMETERS,
      ...(current ? { proposalId: current.proposalId, adoptedAt: current.adoptedAt, adoptTxId: current.adoptTxId } : {}),
    });
  }

  /** Every adopted change, oldest first (version 1 on), a page at a time. */
  @Transaction(false)
  async History(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(parametersTransactions.history.input, inputJson);
    return canonicalJson(await listRecords(ctx, ParameterChanges, [], checkPageSize(input.limit), input.cursor));
  }

  @Transaction(false)
  async GetProposal(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(parametersTransactions.getProposal.input, inputJson);
    return canonicalJson(viewOf(await mustGetRecord(ctx, Proposals, [input.proposalId], 'parameter proposal'), today(ctx)));
  }

  /**
   * Proposals by state, a page at a time. Open and expired ones share the ledger status `open`,
   * ordered by their last day: `open` starts at today, `expired` keeps those before it (a page
   * may then hold fewer items than `limit`).
   */
  @Transaction(false)
  async ListProposals(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(parametersTransactions.listProposals.input, inputJson);
    const day = today(ctx);
    const limit = checkPageSize(input.limit);
    const status = input.status === 'expired' ? 'open' : input.status;
    const page = await listByIndex(ctx, Proposals, 'byStatus', [status], limit, input.cursor, input.status === 'open' ? [day] : undefined);
    const items = page.items.map((p) => viewOf(p, day)).filter((p) => p.state === input.status);
    return canonicalJson(page.nextCursor ? { items, nextCursor: page.nextCursor } : { items });
  }
}

/**
 * Adopts a proposal in the current transaction: the proposal, the parameters in force and a new
 * history entry, all computed in memory from what this transaction read. Emits the one event.
 * `previous` is the proposal as read (absent when it is adopted as it is proposed).
 */
async function adopt(
  ctx: Context,
  proposal: Proposal,
  previous: Proposal | undefined,
  current: CurrentParameters | undefined,
  values: ParameterValues,
  time: TxTime,
  txId: string,
): Promise<Proposal> {
  const version = (current?.version ?? 0) + 1;
  const adopted: Proposal = { ...proposal, status: 'adopted', version, adoptedAt: time.iso, adoptTxId: txId };
  await putRecord(ctx, Proposals, adopted, previous);
  await putRecord(ctx, CurrentParameterSets, { id: 'current', version, values, proposalId: proposal.id, adoptedAt: time.iso, adoptTxId: txId }, current);
  await putRecord(ctx, ParameterChanges, {
    version,
    proposalId: proposal.id,
    changes: proposal.changes,
    values,
    note: proposal.note,
    proposingCounty: proposal.proposingCounty,
    approvingCounties: proposal.approvals.map((a) => a.county),
    registeredCounties: proposal.registeredCounties,
    adoptedAt: time.iso,
    adoptTxId: txId,
  });
  emit(ctx, ParametersEvents.Adopted, {
    proposalId: proposal.id,
    version,
    county: proposal.approvals[proposal.approvals.length - 1]?.county ?? proposal.proposingCounty,
    parameters: Object.keys(proposal.changes).sort(),
    approvingCounties: adopted.approvals.map((a) => a.county),
  });
  return adopted;
}
