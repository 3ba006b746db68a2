import { Context, Info, Transaction } from 'fabric-contract-api';
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
import { requireMerchantFor } from '../subjects/binding';
import { Subjects } from '../subjects/records';
import { licensingRestriction } from './licensing-eligibility';
import { APPROVAL_THRESHOLD_BP, effectiveLicensesOf, licenseStateOn, refuseConflicts, requireLicenseCapacity, royaltyDue, splitRoyalty } from './licensing';
import { actorOf } from '../kernel/actor';
import { IpAsset, IpAssets, License, Licenses, RoyaltyDays, RoyaltyReport, RoyaltyReports, RoyaltyShares } from './records';

export const IpEvents = {
  IpRegistered: 'ip.IpRegistered',
  LicenseRequested: 'ip.LicenseRequested',
  LicenseApproved: 'ip.LicenseApproved',
  LicenseEffective: 'ip.LicenseEffective',
  LicenseRevoked: 'ip.LicenseRevoked',
  RoyaltyReported: 'ip.RoyaltyReported',
} as const;

@Info({ title: 'Ip', description: 'Regional cultural-IP library (区域文化IP库): co-owned IP assets, licenses, royalties split among co-owning counties' })
export class IpContract extends CountyContract {
  constructor() {
    super('Ip');
  }

  /** A regulator of one of the co-owning counties registers an IP asset; every owner is a registered county. */
  @Transaction()
  async RegisterIp(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.registerIp.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    if (!input.owners.some((o) => o.county === regulator.mspId)) throw forbidden(`a regulator of ${regulator.mspId} may register only IP its county co-owns`);
    for (const owner of input.owners) await requireKnownCounty(ctx, owner.county, 'owner');
    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    const ip: IpAsset = {
      id: `ip-${txId.slice(0, 32)}`,
      title: input.title,
      kind: input.kind,
      ...(input.description ? { description: input.description } : {}),
      owners: input.owners.map((o) => ({ county: o.county, shareBp: o.shareBp })),
      proofEvidenceRefs: [...input.proofEvidenceRefs],
      registeredBy: actorOf(regulator),
      registeredAt: time.iso,
      registerTxId: txId,
    };
    if (await getRecord(ctx, IpAssets, [ip.id])) throw conflict(`IP ${ip.id} already exists`);
    await putRecord(ctx, IpAssets, ip);
    emit(ctx, IpEvents.IpRegistered, { ipId: ip.id, kind: ip.kind, owners: ip.owners });
    return canonicalJson(ip);
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
   * A merchant acting for the licensee enterprise requests a license. Refused early when it
   * could never take effect: the licensee is restricted from licensing, the term is over, the
   * IP has reached its license cap, or it conflicts with an effective license.
   */
  @Transaction()
  async RequestLicense(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.requestLicense.input, inputJson);
    const merchant = await requireMerchantFor(ctx, input.licenseeSubjectId);
    const ip = await mustGetRecord(ctx, IpAssets, [input.ipId], 'IP');
    const licensee = await mustGetRecord(ctx, Subjects, [input.licenseeSubjectId], 'subject');
    if (licensee.kind !== 'enterprise') throw ruleViolation('a licensee is an enterprise identified by its unified social credit code');
    for (const county of input.territory) await requireKnownCounty(ctx, county, 'territory county');
    const time = txTime(ctx);
    const txDay = today(ctx);
    if (input.termTo < txDay) throw ruleViolation(`a term ending ${input.termTo} is already over`);
    const restriction = await licensingRestriction(ctx, licensee.id);
    if (restriction !== undefined) throw ruleViolation(`licensee ${licensee.id} is restricted from licensing: ${restriction}`);
    await requireLicenseCapacity(ctx, ip.id);
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
   * A regulator of a co-owning county approves a license, once per county. The approval that
   * brings the approving owners' shares above 5000 bp makes it effective, after checking again
   * that it conflicts with no effective license and that the licensee is not restricted.
   */
  @Transaction()
  async ApproveLicense(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.approveLicense.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const previous = await mustGetRecord(ctx, Licenses, [input.licenseId], 'license');
    const ip = await mustGetRecord(ctx, IpAssets, [previous.ipId], 'IP');
    const owner = ip.owners.find((o) => o.county === regulator.mspId);
    if (!owner) throw forbidden(`${regulator.mspId} is not a co-owner of IP ${ip.id}`);
    if (previous.approvals.some((a) => a.county === regulator.mspId)) throw conflict(`${regulator.mspId} has already approved license ${previous.id}`);
    if (previous.status === 'revoked') throw conflict(`license ${previous.id} is revoked`);
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
      refuseConflicts(license, await effectiveLicensesOf(ctx, ip.id));
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

  /** A regulator or enforcement member of a co-owning county revokes an effective license for infringement or breach. */
  @Transaction()
  async RevokeLicense(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(ipTransactions.revokeLicense.input, inputJson);
    const officer = await requireRole(ctx, 'regulator', 'enforcement');
    const previous = await mustGetRecord(ctx, Licenses, [input.licenseId], 'license');
    const ip = await mustGetRecord(ctx, IpAssets, [previous.ipId], 'IP');
    if (!ip.owners.some((o) => o.county === officer.mspId)) throw forbidden(`${officer.mspId} is not a co-owner of IP ${ip.id}`);
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

  /** A license, with what it is today (requested, pending, active, expired or revoked). */
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
    if (previous.status === 'requested') throw conflict(`license ${previous.id} is not effective yet`);
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
        { county: part.county, date: txDay, amountFen: (day?.amountFen ?? 0) + part.amountFen, reports: (day?.reports ?? 0) + 1 },
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
    let amountFen = 0;
    let reports = 0;
    for (const date of datesOf(input.from, input.to)) {
      const day = await getRecord(ctx, RoyaltyDays, [input.county, date]);
      if (!day) continue;
      days.push({ date, amountFen: day.amountFen, reports: day.reports });
      amountFen += day.amountFen;
      reports += day.reports;
    }
    return canonicalJson({ county: input.county, from: input.from, to: input.to, amountFen, reports, days });
  }
}
