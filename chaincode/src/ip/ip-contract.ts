import { Context, Info, Transaction } from 'fabric-contract-api';
import { addFen, fenBig, fenTotal } from '../kernel/money';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { conflict, forbidden, ruleViolation } from '../kernel/errors';
import { emit } from '../kernel/events';
import { checkPageSize, getRecord, listByIndex, listRecords, mustGetRecord, putRecord } from '../kernel/state';
import { addDays, today, txTime } from '../kernel/time';
import { parseInput } from '../kernel/validate';
import { ipTransactions } from './transactions';
import { requireRole } from '../membership/access';
import { requireKnownCounty } from '../counties/counties';
import { datesOf } from '../kernel/dates';
import { refuseActingFor, requireMerchantFor } from '../subjects/binding';
import { Subjects } from '../subjects/records';
import { licensingRestriction } from './licensing-eligibility';
import {
  APPROVAL_THRESHOLD_BP,
  effectiveLicensesOf,
  licenseStateOn,
  refuseConflicts,
  requireEffectiveCapacity,
  requireRequestCapacity,
  royaltyDue,
  splitRoyalty,
} from './licensing';
import { actorOf } from '../kernel/actor';
import { Caller } from '../kernel/identity';
import { IpAsset, IpAssets, IpConsent, License, Licenses, OwnerShare, RoyaltyDays, RoyaltyReport, RoyaltyReports, RoyaltyShares } from './records';

export const IpEvents = {
  IpRegistered: 'ip.IpRegistered',
  IpShareAccepted: 'ip.IpShareAccepted',
  IpActivated: 'ip.IpActivated',
  IpShareDeclined: 'ip.IpShareDeclined',
  IpWithdrawn: 'ip.IpWithdrawn',
  LicenseRequested: 'ip.LicenseRequested',
  LicenseApproved: 'ip.LicenseApproved',
  LicenseEffective: 'ip.LicenseEffective',
  LicenseRejectionRecorded: 'ip.LicenseRejectionRecorded',
  LicenseRejected: 'ip.LicenseRejected',
  LicenseWithdrawn: 'ip.LicenseWithdrawn',
  LicenseRevoked: 'ip.LicenseRevoked',
  RoyaltyReported: 'ip.RoyaltyReported',
} as const;

/** Every share in basis points: an asset is active once the accepted shares reach it. */
const ALL_SHARES_BP = 10000;

/**
 * The caller's county's share of an IP asset that awaits its decision: FORBIDDEN when the county
 * is not named as a co-owner, CONFLICT when the asset no longer awaits consent or the county has decided.
 */
function undecidedShareOf(ip: IpAsset, caller: Caller): OwnerShare {
  const owner = ip.owners.find((o) => o.county === caller.mspId);
  if (!owner) throw forbidden(`${caller.mspId} is not named as a co-owner of IP ${ip.id}`);
  if (ip.status !== 'pending-consent') throw conflict(`IP ${ip.id} is ${ip.status}; it no longer awaits the co-owners' consent`);
  const decided = ip.consents.find((c) => c.county === caller.mspId);
  if (decided) throw conflict(`${caller.mspId} has already ${decided.decision} its share of IP ${ip.id}`);
  return owner;
}

/** A county's vote on a license so far, if any (an approval or a rejection). */
function voteOf(license: License, county: string): 'approved' | 'rejected' | undefined {
  if (license.approvals.some((a) => a.county === county)) return 'approved';
  if (license.rejections.some((r) => r.county === county)) return 'rejected';
  return undefined;
}

@Info({ title: 'Ip', description: 'Regional cultural-IP library (区域文化IP库): co-owned IP assets, licenses, royalties split among co-owning counties' })
export class IpContract extends CountyContract {
  constructor() {
    super('Ip');
  }

  /**
   * A regulator of a registered county registers an IP asset naming co-owner counties (all
   * registered) and their shares. It is a proposal to them: the registering county's own share,
   * if it names itself, counts as accepted now; the asset is active only once every named county
   * has accepted its share (AcceptShare), so naming another county, even with all the shares,
   * binds it to nothing until it accepts.
   */
  @Transaction()
  async RegisterIp(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.registerIp.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    await requireKnownCounty(ctx, regulator.mspId, 'registering county');
    for (const owner of input.owners) await requireKnownCounty(ctx, owner.county, 'owner');
    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    const own = input.owners.find((o) => o.county === regulator.mspId);
    const consents: IpConsent[] = own ? [{ county: own.county, shareBp: own.shareBp, decision: 'accepted', by: actorOf(regulator), at: time.iso, txId }] : [];
    const acceptedShareBp = own?.shareBp ?? 0;
    const active = acceptedShareBp === ALL_SHARES_BP;
    const ip: IpAsset = {
      id: `ip-${txId.slice(0, 32)}`,
      title: input.title,
      kind: input.kind,
      ...(input.description ? { description: input.description } : {}),
      owners: input.owners.map((o) => ({ county: o.county, shareBp: o.shareBp })),
      proofEvidenceRefs: [...input.proofEvidenceRefs],
      status: active ? 'active' : 'pending-consent',
      consents,
      acceptedShareBp,
      ...(active ? { activatedAt: time.iso } : {}),
      registeredBy: actorOf(regulator),
      registeredAt: time.iso,
      registerTxId: txId,
    };
    if (await getRecord(ctx, IpAssets, [ip.id])) throw conflict(`IP ${ip.id} already exists`);
    await putRecord(ctx, IpAssets, ip);
    emit(ctx, IpEvents.IpRegistered, { ipId: ip.id, kind: ip.kind, owners: ip.owners, status: ip.status, acceptedShareBp });
    return canonicalJson(ip);
  }

  /** A regulator of a named co-owner county accepts its share; the acceptance that completes the shares makes the asset active. */
  @Transaction()
  async AcceptShare(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.acceptShare.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const previous = await mustGetRecord(ctx, IpAssets, [input.ipId], 'IP');
    const owner = undecidedShareOf(previous, regulator);
    const time = txTime(ctx);
    const consent: IpConsent = {
      county: owner.county,
      shareBp: owner.shareBp,
      decision: 'accepted',
      by: actorOf(regulator),
      at: time.iso,
      txId: ctx.stub.getTxID(),
      ...(input.note ? { note: input.note } : {}),
    };
    const acceptedShareBp = previous.acceptedShareBp + owner.shareBp;
    const activates = acceptedShareBp === ALL_SHARES_BP;
    const ip: IpAsset = {
      ...previous,
      consents: [...previous.consents, consent],
      acceptedShareBp,
      ...(activates ? { status: 'active' as const, activatedAt: time.iso } : {}),
    };
    await putRecord(ctx, IpAssets, ip, previous);
    emit(ctx, activates ? IpEvents.IpActivated : IpEvents.IpShareAccepted, { ipId: ip.id, county: owner.county, acceptedShareBp, status: ip.status });
    return canonicalJson(ip);
  }

  /** A regulator of a named co-owner county declines its share: the asset is declined for good (register it anew with other shares). */
  @Transaction()
  async DeclineShare(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.declineShare.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const previous = await mustGetRecord(ctx, IpAssets, [input.ipId], 'IP');
    const owner = undecidedShareOf(previous, regulator);
    const consent: IpConsent = {
      county: owner.county,
      shareBp: owner.shareBp,
      decision: 'declined',
      by: actorOf(regulator),
      at: txTime(ctx).iso,
      txId: ctx.stub.getTxID(),
      note: input.reason,
    };
    const ip: IpAsset = { ...previous, status: 'declined', consents: [...previous.consents, consent] };
    await putRecord(ctx, IpAssets, ip, previous);
    emit(ctx, IpEvents.IpShareDeclined, { ipId: ip.id, county: owner.county, status: ip.status });
    return canonicalJson(ip);
  }

  /** A regulator of the registering county withdraws an IP asset that still awaits consent. */
  @Transaction()
  async WithdrawIp(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.withdrawIp.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const previous = await mustGetRecord(ctx, IpAssets, [input.ipId], 'IP');
    if (previous.registeredBy.mspId !== regulator.mspId)
      throw forbidden(`IP ${previous.id} was registered by ${previous.registeredBy.mspId}; only its regulators may withdraw it`);
    if (previous.status !== 'pending-consent') throw conflict(`IP ${previous.id} is ${previous.status}; only an IP awaiting consent can be withdrawn`);
    const time = txTime(ctx);
    const ip: IpAsset = {
      ...previous,
      status: 'withdrawn',
      withdrawal: { reason: input.reason, by: actorOf(regulator), at: time.iso, txId: ctx.stub.getTxID() },
    };
    await putRecord(ctx, IpAssets, ip, previous);
    emit(ctx, IpEvents.IpWithdrawn, { ipId: ip.id, by: regulator.mspId, status: ip.status });
    return canonicalJson(ip);
  }

  /** IP assets awaiting a county's decision on its share. */
  @Transaction(false)
  async ListAwaitingConsent(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.listAwaitingConsent.input, inputJson);
    return canonicalJson(await listByIndex(ctx, IpAssets, 'awaitingConsent', [input.county], checkPageSize(input.limit), input.cursor));
  }

  @Transaction(false)
  async GetIp(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.getIp.input, inputJson);
    return canonicalJson(await mustGetRecord(ctx, IpAssets, [input.ipId], 'IP'));
  }

  @Transaction(false)
  async ListIp(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.listIp.input, inputJson);
    return canonicalJson(await listByIndex(ctx, IpAssets, 'byKind', [input.kind], checkPageSize(input.limit), input.cursor));
  }

  /**
   * A merchant acting for the licensee enterprise requests a license of an active IP (every
   * co-owner accepted its share). Refused early when it could never take effect: the licensee is
   * restricted from licensing, the term is over, the IP has reached its cap of open requests, or
   * it conflicts with an effective license.
   */
  @Transaction()
  async RequestLicense(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.requestLicense.input, inputJson);
    const merchant = await requireMerchantFor(ctx, input.licenseeSubjectId);
    const ip = await mustGetRecord(ctx, IpAssets, [input.ipId], 'IP');
    if (ip.status !== 'active')
      throw conflict(`IP ${ip.id} is ${ip.status}; licenses are requested only for an active IP, whose every co-owner county has accepted its share`);
    const licensee = await mustGetRecord(ctx, Subjects, [input.licenseeSubjectId], 'subject');
    if (licensee.kind !== 'enterprise') throw ruleViolation('a licensee is an enterprise identified by its unified social credit code');
    for (const county of input.territory) await requireKnownCounty(ctx, county, 'territory county');
    const time = txTime(ctx);
    const txDay = today(ctx);
    if (input.termTo < txDay) throw ruleViolation(`a term ending ${input.termTo} is already over`);
    const restriction = await licensingRestriction(ctx, licensee.id);
    if (restriction !== undefined) throw ruleViolation(`licensee ${licensee.id} is restricted from licensing: ${restriction}`);
    await requireRequestCapacity(ctx, ip.id);
    const txId = ctx.stub.getTxID();
    const license: License = {
      id: `lic-${txId.slice(0, 32)}`,
      ipId: ip.id,
      licenseeSubjectId: licensee.id,
      categories: [...input.categories],
      territory: [...input.territory],
      termFrom: input.termFrom,
      termTo: input.termTo,
      exclusive: input.exclusive,
      royaltyRateBp: input.royaltyRateBp ?? 0,
      fixedFeeFen: input.fixedFeeFen ?? 0,
      status: 'requested',
      approvals: [],
      approvedShareBp: 0,
      rejections: [],
      rejectedShareBp: 0,
      requestedBy: actorOf(merchant),
      requestedAt: time.iso,
      requestTxId: txId,
      nextReportFrom: input.termFrom,
      reports: 0,
    };
    refuseConflicts(license, await effectiveLicensesOf(ctx, ip.id));
    await putRecord(ctx, Licenses, license);
    emit(ctx, IpEvents.LicenseRequested, {
      licenseId: license.id,
      ipId: ip.id,
      licenseeSubjectId: licensee.id,
      exclusive: license.exclusive,
      termFrom: license.termFrom,
      termTo: license.termTo,
    });
    return canonicalJson(license);
  }

  /**
   * A regulator of a co-owning county approves a license, once per county (a county votes once:
   * approve or reject), never for a licensee it acts for. The approval that brings the approving
   * owners' shares above 5000 bp makes it effective, after checking again that it conflicts with
   * no effective license, that the IP has room for one more, and that the licensee is not restricted.
   */
  @Transaction()
  async ApproveLicense(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.approveLicense.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const previous = await mustGetRecord(ctx, Licenses, [input.licenseId], 'license');
    const ip = await mustGetRecord(ctx, IpAssets, [previous.ipId], 'IP');
    const owner = ip.owners.find((o) => o.county === regulator.mspId);
    if (!owner) throw forbidden(`${regulator.mspId} is not a co-owner of IP ${ip.id}`);
    await refuseActingFor(ctx, regulator, [previous.licenseeSubjectId], `approve a license of ${previous.licenseeSubjectId}`);
    const vote = voteOf(previous, regulator.mspId);
    if (vote) throw conflict(`${regulator.mspId} has already ${vote} license ${previous.id}`);
    if (previous.status !== 'requested' && previous.status !== 'effective') throw conflict(`license ${previous.id} is ${previous.status}`);
    const time = txTime(ctx);
    const approvals = [...previous.approvals, { county: owner.county, shareBp: owner.shareBp, by: actorOf(regulator), at: time.iso, txId: ctx.stub.getTxID() }];
    const approvedShareBp = previous.approvedShareBp + owner.shareBp;
    const becomesEffective = previous.status === 'requested' && approvedShareBp > APPROVAL_THRESHOLD_BP;
    const license: License = {
      ...previous,
      approvals,
      approvedShareBp,
      ...(becomesEffective ? { status: 'effective' as const, effectiveAt: time.iso } : {}),
    };
    if (becomesEffective) {
      const restriction = await licensingRestriction(ctx, license.licenseeSubjectId);
      if (restriction !== undefined) throw ruleViolation(`licensee ${license.licenseeSubjectId} is restricted from licensing: ${restriction}`);
      const effective = await effectiveLicensesOf(ctx, ip.id);
      refuseConflicts(license, effective);
      requireEffectiveCapacity(ip.id, effective);
    }
    await putRecord(ctx, Licenses, license, previous);
    emit(ctx, becomesEffective ? IpEvents.LicenseEffective : IpEvents.LicenseApproved, {
      licenseId: license.id,
      ipId: ip.id,
      county: owner.county,
      approvedShareBp,
      status: license.status,
    });
    return canonicalJson(license);
  }

  /**
   * A regulator of a co-owning county votes against a requested license, once per county, never
   * for a licensee it acts for. The rejection that brings the rejecting owners' shares above
   * 5000 bp rejects the request for good.
   */
  @Transaction()
  async RejectLicense(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.rejectLicense.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const previous = await mustGetRecord(ctx, Licenses, [input.licenseId], 'license');
    const ip = await mustGetRecord(ctx, IpAssets, [previous.ipId], 'IP');
    const owner = ip.owners.find((o) => o.county === regulator.mspId);
    if (!owner) throw forbidden(`${regulator.mspId} is not a co-owner of IP ${ip.id}`);
    await refuseActingFor(ctx, regulator, [previous.licenseeSubjectId], `reject a license of ${previous.licenseeSubjectId}`);
    if (previous.status !== 'requested')
      throw conflict(
        `license ${previous.id} is ${previous.status}; only a requested license can be rejected${previous.status === 'effective' ? ' (an effective one is revoked)' : ''}`,
      );
    const vote = voteOf(previous, regulator.mspId);
    if (vote) throw conflict(`${regulator.mspId} has already ${vote} license ${previous.id}`);
    const time = txTime(ctx);
    const rejectedShareBp = previous.rejectedShareBp + owner.shareBp;
    const final = rejectedShareBp > APPROVAL_THRESHOLD_BP;
    const license: License = {
      ...previous,
      rejections: [
        ...previous.rejections,
        { county: owner.county, shareBp: owner.shareBp, reason: input.reason, by: actorOf(regulator), at: time.iso, txId: ctx.stub.getTxID() },
      ],
      rejectedShareBp,
      ...(final ? { status: 'rejected' as const, rejectedAt: time.iso } : {}),
    };
    await putRecord(ctx, Licenses, license, previous);
    emit(ctx, final ? IpEvents.LicenseRejected : IpEvents.LicenseRejectionRecorded, {
      licenseId: license.id,
      ipId: ip.id,
      county: owner.county,
      rejectedShareBp,
      status: license.status,
    });
    return canonicalJson(license);
  }

  /** A merchant acting for the licensee withdraws its request while it is still requested. */
  @Transaction()
  async WithdrawLicense(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.withdrawLicense.input, inputJson);
    const previous = await mustGetRecord(ctx, Licenses, [input.licenseId], 'license');
    const merchant = await requireMerchantFor(ctx, previous.licenseeSubjectId);
    if (previous.status !== 'requested') throw conflict(`license ${previous.id} is ${previous.status}; only a requested license can be withdrawn`);
    const license: License = {
      ...previous,
      status: 'withdrawn',
      withdrawal: { ...(input.reason ? { reason: input.reason } : {}), by: actorOf(merchant), at: txTime(ctx).iso, txId: ctx.stub.getTxID() },
    };
    await putRecord(ctx, Licenses, license, previous);
    emit(ctx, IpEvents.LicenseWithdrawn, { licenseId: license.id, ipId: license.ipId, licenseeSubjectId: license.licenseeSubjectId, status: license.status });
    return canonicalJson(license);
  }

  /**
   * A regulator or enforcement member of a co-owning county revokes an effective license for
   * infringement or breach (never one of a licensee it acts for). Its derivatives cannot be
   * ordered or settled from then on (market/listing-rules.ts), so revocation writes one record.
   */
  @Transaction()
  async RevokeLicense(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.revokeLicense.input, inputJson);
    const officer = await requireRole(ctx, 'regulator', 'enforcement');
    const previous = await mustGetRecord(ctx, Licenses, [input.licenseId], 'license');
    const ip = await mustGetRecord(ctx, IpAssets, [previous.ipId], 'IP');
    if (!ip.owners.some((o) => o.county === officer.mspId)) throw forbidden(`${officer.mspId} is not a co-owner of IP ${ip.id}`);
    await refuseActingFor(ctx, officer, [previous.licenseeSubjectId], `revoke a license of ${previous.licenseeSubjectId}`);
    if (previous.status !== 'effective') throw conflict(`license ${previous.id} is ${previous.status}; only an effective license can be revoked`);
    const time = txTime(ctx);
    const license: License = {
      ...previous,
      status: 'revoked',
      revocation: {
        ground: input.ground,
        reason: input.reason,
        evidenceRefs: [...input.evidenceRefs],
        by: actorOf(officer),
        at: time.iso,
        date: today(ctx),
        txId: ctx.stub.getTxID(),
      },
    };
    await putRecord(ctx, Licenses, license, previous);
    emit(ctx, IpEvents.LicenseRevoked, { licenseId: license.id, ipId: ip.id, ground: input.ground, by: officer.mspId });
    return canonicalJson(license);
  }

  /** A license, with what it is today (requested, pending, active, expired, revoked, rejected or withdrawn). */
  @Transaction(false)
  async GetLicense(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.getLicense.input, inputJson);
    const license = await mustGetRecord(ctx, Licenses, [input.licenseId], 'license');
    const date = today(ctx);
    return canonicalJson({ ...license, stateToday: licenseStateOn(license, date), today: date });
  }

  @Transaction(false)
  async ListLicenses(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.listLicenses.input, inputJson);
    return canonicalJson(await listByIndex(ctx, Licenses, 'byIp', [input.ipId], checkPageSize(input.limit), input.cursor));
  }

  /**
   * A merchant acting for the licensee reports sales for the next period of the license
   * (periods run back to back from the term's start, within the term, and must have ended).
   * Royalty due = floor(sales × rate / 10000) + fixed fee, split among co-owners by share.
   */
  @Transaction()
  async ReportRoyalty(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.reportRoyalty.input, inputJson);
    const previous = await mustGetRecord(ctx, Licenses, [input.licenseId], 'license');
    const merchant = await requireMerchantFor(ctx, previous.licenseeSubjectId);
    if (previous.status !== 'effective' && previous.status !== 'revoked') throw conflict(`license ${previous.id} is not effective (${previous.status})`);
    const time = txTime(ctx);
    const txDay = today(ctx);
    if (input.periodFrom !== previous.nextReportFrom)
      throw ruleViolation(`the next royalty period of license ${previous.id} starts on ${previous.nextReportFrom}, not ${input.periodFrom}`);
    if (input.periodTo > previous.termTo) throw ruleViolation(`the period ends after the license term (${previous.termTo})`);
    if (previous.revocation && input.periodTo > previous.revocation.date)
      throw ruleViolation(`the license was revoked on ${previous.revocation.date}; no period may run past it`);
    if (input.periodTo >= txDay) throw ruleViolation(`the period must have ended before it is reported: ${input.periodTo} is not before ${txDay}`);
    const ip = await mustGetRecord(ctx, IpAssets, [previous.ipId], 'IP');
    const dueFen = royaltyDue(input.salesFen, previous.royaltyRateBp, previous.fixedFeeFen);
    const parts = splitRoyalty(dueFen, ip.owners);
    const txId = ctx.stub.getTxID();
    const report: RoyaltyReport = {
      id: `rr-${txId.slice(0, 32)}`,
      licenseId: previous.id,
      ipId: ip.id,
      licenseeSubjectId: previous.licenseeSubjectId,
      periodFrom: input.periodFrom,
      periodTo: input.periodTo,
      salesFen: input.salesFen,
      royaltyRateBp: previous.royaltyRateBp,
      fixedFeeFen: previous.fixedFeeFen,
      royaltyDueFen: dueFen,
      parts,
      ...(input.note ? { note: input.note } : {}),
      reportedBy: actorOf(merchant),
      reportedAt: time.iso,
      date: txDay,
      txId,
    };
    await putRecord(ctx, RoyaltyReports, report);
    await putRecord(ctx, Licenses, { ...previous, nextReportFrom: addDays(input.periodTo, 1), reports: previous.reports + 1 }, previous);
    for (const part of parts) {
      await putRecord(ctx, RoyaltyShares, {
        county: part.county,
        date: txDay,
        reportId: report.id,
        licenseId: previous.id,
        ipId: ip.id,
        periodFrom: input.periodFrom,
        periodTo: input.periodTo,
        amountFen: part.amountFen,
      });
      const day = await getRecord(ctx, RoyaltyDays, [part.county, txDay]);
      await putRecord(
        ctx,
        RoyaltyDays,
        { county: part.county, date: txDay, amountFen: addFen(day?.amountFen, part.amountFen), reports: (day?.reports ?? 0) + 1 },
        day,
      );
    }
    emit(ctx, IpEvents.RoyaltyReported, {
      reportId: report.id,
      licenseId: previous.id,
      ipId: ip.id,
      royaltyDueFen: dueFen,
      parts: parts.map((p) => ({ county: p.county, amountFen: p.amountFen })),
    });
    return canonicalJson(report);
  }

  @Transaction(false)
  async ListRoyaltyReports(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.listRoyaltyReports.input, inputJson);
    return canonicalJson(await listRecords(ctx, RoyaltyReports, [input.licenseId], checkPageSize(input.limit), input.cursor));
  }

  /** A county's royalty statement for a range of report days (≤ 366): total and per day, from the running day totals. */
  @Transaction(false)
  async RoyaltyStatement(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.royaltyStatement.input, inputJson);
    const days = [];
    let amountFen = 0n;
    let reports = 0;
    for (const date of datesOf(input.from, input.to)) {
      const day = await getRecord(ctx, RoyaltyDays, [input.county, date]);
      if (!day) continue;
      days.push({ date, amountFen: addFen(day.amountFen), reports: day.reports });
      amountFen += fenBig(day.amountFen);
      reports += day.reports;
    }
    return canonicalJson({ county: input.county, from: input.from, to: input.to, amountFen: fenTotal(amountFen), reports, days });
  }
}
