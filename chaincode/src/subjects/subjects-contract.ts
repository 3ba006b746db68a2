import { Context, Info, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { divisionOf } from '../kernel/credit-code';
import { conflict, forbidden, invalidArgument, notFound } from '../kernel/errors';
import { emit } from '../kernel/events';
import { Caller } from '../kernel/identity';
import { checkPageSize, getRecord, listByIndex, listRecords, mustGetRecord, putRecord } from '../kernel/state';
import { txTime } from '../kernel/time';
import { describeIssues, parseInput } from '../kernel/validate';
import { subjectsTransactions } from './transactions';
import { requireRole } from '../membership/access';
import { refuseActingFor } from './binding';
import { requireHomeCountyOf } from './home-county';
import {
  AccessChange,
  AccessChanges,
  IndividualPrivateData,
  MerchantBinding,
  MerchantBindings,
  Subject,
  Subjects,
  individualSubjectId,
  privateCollectionOf,
  privateSubjectKey,
} from './records';
import { INDIVIDUAL_TRANSIENT_KEYS, individualTransientSchema } from './schemas';

export const SubjectsEvents = {
  SubjectRegistered: 'subjects.SubjectRegistered',
  AccessSet: 'subjects.AccessSet',
  MerchantBound: 'subjects.MerchantBound',
  MerchantUnbound: 'subjects.MerchantUnbound',
} as const;

@Info({ title: 'Subjects', description: 'Market subjects (经营主体) and their market access (市场准入, 红橙绿三色审核)' })
export class SubjectsContract extends CountyContract {
  constructor() {
    super('Subjects');
  }

  /**
   * A regulator registers an enterprise of its county by unified social credit code: only the
   * county of the code's division or that division's prefecture (home-county.ts), so no county
   * can take another county's enterprise first.
   */
  @Transaction()
  async RegisterEnterprise(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(subjectsTransactions.registerEnterprise.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    await requireHomeCountyOf(ctx, regulator, input.creditCode);
    await refuseExisting(ctx, input.creditCode);
    const subject: Subject = {
      ...newSubject(ctx, regulator, input.creditCode, 'enterprise'),
      creditCode: input.creditCode,
      division: divisionOf(input.creditCode),
      ...(input.name ? { name: input.name } : {}),
    };
    await putRecord(ctx, Subjects, subject);
    emit(ctx, SubjectsEvents.SubjectRegistered, { subjectId: subject.id, kind: subject.kind, county: subject.county });
    return canonicalJson(subject);
  }

  /**
   * A regulator registers an individual of its county by the HMAC of the ID number.
   * The ID number and name come as transient data and go only to `<mspId>-private`.
   * Its home county is the registering county (an ID number names no division the ledger checks).
   */
  @Transaction()
  async RegisterIndividual(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(subjectsTransactions.registerIndividual.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const personal = readIndividualTransient(ctx);
    const id = individualSubjectId(input.idHash);
    await refuseExisting(ctx, id);
    const subject: Subject = { ...newSubject(ctx, regulator, id, 'individual'), idHash: input.idHash };
    const privateData: IndividualPrivateData = {
      subjectId: id,
      idNumber: personal.idNumber,
      name: personal.name,
      registeredAt: subject.registeredAt,
      txId: subject.registerTxId,
    };
    await ctx.stub.putPrivateData(privateCollectionOf(regulator.mspId), privateSubjectKey(id), Buffer.from(canonicalJson(privateData)));
    await putRecord(ctx, Subjects, subject);
    emit(ctx, SubjectsEvents.SubjectRegistered, { subjectId: subject.id, kind: subject.kind, county: subject.county });
    return canonicalJson(subject);
  }

  /** The subject's county regulator sets green / orange (with a trade limit) / red, with evidence. */
  @Transaction()
  async SetAccess(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(subjectsTransactions.setAccess.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const previous = await mustGetRecord(ctx, Subjects, [input.subjectId], 'subject');
    requireSameCounty(regulator, previous, 'set the market access of');
    await refuseActingFor(ctx, regulator, [previous.id], 'decide its market access');
    const now = txTime(ctx).iso;
    const txId = ctx.stub.getTxID();
    const { tradeLimitFen: _dropped, ...rest } = previous;
    const subject: Subject = {
      ...rest,
      access: input.status,
      ...(input.status === 'orange' ? { tradeLimitFen: input.tradeLimitFen } : {}),
      accessEvidenceRefs: [...input.evidenceRefs],
      accessSetBy: regulator.member,
      accessSetAt: now,
    };
    const change: AccessChange = {
      subjectId: subject.id,
      status: input.status,
      previousStatus: previous.access,
      ...(input.status === 'orange' ? { tradeLimitFen: input.tradeLimitFen } : {}),
      evidenceRefs: [...input.evidenceRefs],
      ...(input.reason ? { reason: input.reason } : {}),
      mspId: regulator.mspId,
      by: regulator.member,
      at: now,
      txId,
    };
    await putRecord(ctx, Subjects, subject, previous);
    await putRecord(ctx, AccessChanges, change);
    emit(ctx, SubjectsEvents.AccessSet, { subjectId: subject.id, status: input.status, previousStatus: previous.access, county: subject.county });
    return canonicalJson(subject);
  }

  /** The subject's county regulator lets a member of that county act for the subject as its merchant. */
  @Transaction()
  async BindMerchant(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(subjectsTransactions.bindMerchant.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const subject = await mustGetRecord(ctx, Subjects, [input.subjectId], 'subject');
    requireSameCounty(regulator, subject, 'bind merchants of');
    const previous = await getRecord(ctx, MerchantBindings, [subject.id, regulator.mspId, input.member]);
    if (previous?.active) throw conflict(`${input.member} already acts for ${subject.id}`);
    const binding: MerchantBinding = {
      subjectId: subject.id,
      mspId: regulator.mspId,
      member: input.member,
      active: true,
      boundBy: regulator.member,
      boundAt: txTime(ctx).iso,
      bindTxId: ctx.stub.getTxID(),
      ...(input.note ? { note: input.note } : {}),
    };
    await putRecord(ctx, MerchantBindings, binding, previous);
    emit(ctx, SubjectsEvents.MerchantBound, { subjectId: subject.id, mspId: regulator.mspId, member: input.member });
    return canonicalJson(binding);
  }

  /** The subject's county regulator ends a member's binding to the subject. */
  @Transaction()
  async UnbindMerchant(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(subjectsTransactions.unbindMerchant.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const subject = await mustGetRecord(ctx, Subjects, [input.subjectId], 'subject');
    requireSameCounty(regulator, subject, 'unbind merchants of');
    const previous = await getRecord(ctx, MerchantBindings, [subject.id, regulator.mspId, input.member]);
    if (!previous?.active) throw notFound(`${input.member} does not act for ${subject.id}`);
    const binding: MerchantBinding = {
      ...previous,
      active: false,
      unboundBy: regulator.member,
      unboundAt: txTime(ctx).iso,
      unbindTxId: ctx.stub.getTxID(),
    };
    await putRecord(ctx, MerchantBindings, binding, previous);
    emit(ctx, SubjectsEvents.MerchantUnbound, { subjectId: subject.id, mspId: regulator.mspId, member: input.member });
    return canonicalJson(binding);
  }

  /** A subject and its access status (no personal data); anyone may read. */
  @Transaction(false)
  async GetSubject(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(subjectsTransactions.getSubject.input, inputJson);
    return canonicalJson(await mustGetRecord(ctx, Subjects, [input.subjectId], 'subject'));
  }

  /** An individual's personal data, for a regulator of the subject's county (read on that county's peer). */
  @Transaction(false)
  async GetPersonalData(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(subjectsTransactions.getPersonalData.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const subject = await mustGetRecord(ctx, Subjects, [input.subjectId], 'subject');
    requireSameCounty(regulator, subject, 'read personal data of');
    if (subject.kind !== 'individual') throw notFound(`subject ${subject.id} is an enterprise and has no personal data`);
    let bytes: Uint8Array | undefined;
    try {
      bytes = await ctx.stub.getPrivateData(privateCollectionOf(subject.county), privateSubjectKey(subject.id));
    } catch (err) {
      // A Fabric peer outside the collection holds only the hash and refuses the read this way.
      if (/private data matching public hash version is not available/.test(String((err as Error)?.message ?? err))) bytes = undefined;
      else throw err;
    }
    if (!bytes || bytes.length === 0) throw notFound(`personal data of ${subject.id} is not held here; read it through ${subject.county}'s own gateway`);
    return Buffer.from(bytes).toString('utf8');
  }

  /** Every access decision of a subject, oldest first, a page at a time. */
  @Transaction(false)
  async AccessHistory(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(subjectsTransactions.accessHistory.input, inputJson);
    return canonicalJson(await listRecords(ctx, AccessChanges, [input.subjectId], checkPageSize(input.limit), input.cursor));
  }

  /** Subjects registered by a county, a page at a time. */
  @Transaction(false)
  async ListSubjects(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(subjectsTransactions.listSubjects.input, inputJson);
    return canonicalJson(await listByIndex(ctx, Subjects, 'byCounty', [input.county], checkPageSize(input.limit), input.cursor));
  }

  /** Subjects a member currently acts for, a page at a time. */
  @Transaction(false)
  async ListBindings(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(subjectsTransactions.listBindings.input, inputJson);
    return canonicalJson(await listByIndex(ctx, MerchantBindings, 'byMember', [input.mspId, input.member], checkPageSize(input.limit), input.cursor));
  }
}

async function refuseExisting(ctx: Context, id: string): Promise<void> {
  const existing = await getRecord(ctx, Subjects, [id]);
  if (existing) throw conflict(`subject ${id} is already registered by ${existing.county}`);
}

function newSubject(ctx: Context, regulator: Caller, id: string, kind: Subject['kind']): Subject {
  return {
    id,
    kind,
    county: regulator.mspId,
    access: 'pending',
    accessEvidenceRefs: [],
    registeredBy: regulator.member,
    registeredAt: txTime(ctx).iso,
    registerTxId: ctx.stub.getTxID(),
  };
}

function requireSameCounty(caller: Caller, subject: Subject, action: string): void {
  if (caller.mspId !== subject.county) {
    throw forbidden(`a regulator of ${caller.mspId} may not ${action} subject ${subject.id}, registered by ${subject.county}`);
  }
}

function readIndividualTransient(ctx: Context): { idNumber: string; name: string } {
  const transient = ctx.stub.getTransient();
  const raw: Record<string, string> = {};
  for (const key of INDIVIDUAL_TRANSIENT_KEYS) {
    const bytes = transient.get(key);
    if (bytes !== undefined) raw[key] = Buffer.from(bytes).toString('utf8');
  }
  const parsed = individualTransientSchema.safeParse(raw);
  if (!parsed.success) throw invalidArgument(`transient data: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
