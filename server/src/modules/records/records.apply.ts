import type { Queryable } from '../../db/db.js';
import type { CurrentUser } from '../../platform/access.js';
import type { AppContext } from '../../platform/context.js';
import { EDUCATION, MANDARIN_LEVELS, TITLES } from '../../platform/vocab.js';
import { findTeacher, type TeacherRow } from '../teachers/teachers.repository.js';
import { updateTeacher } from '../teachers/teachers.service.js';
import type { TeacherUpdate } from '../teachers/teachers.schema.js';
import type { VersionRow } from './records.repository.js';
import { QUALIFICATION_STAGE, QUALIFICATION_TYPES, type SectionKey } from './records.sections.js';

/**
 * Where an approved record change meets the teacher's credential facts (学历, 教师资格, 职称, 普通话, 证书 on the
 * teacher record, which the compliance rules read). This is the ONE place that writes them: it derives the facts
 * from the teacher's current entries of the section and saves them through the teacher update path
 * (teachers.service updateTeacher, source 'selfService', in the approval's transaction), so the change history
 * and the version check are the teacher module's own. When teacher facts get validity dates, re-point this function
 * at those fact functions; nothing else in the records module writes teacher data.
 */

type Patch = Partial<
  Pick<
    TeacherUpdate,
    | 'education'
    | 'title'
    | 'titleDate'
    | 'qualificationType'
    | 'qualificationStage'
    | 'qualificationSubject'
    | 'qualificationNo'
    | 'qualificationExpiry'
    | 'mandarinLevel'
    | 'certificates'
  >
>;

const rank = (order: Record<string, string>, k: string | null | undefined) => (k ? Object.keys(order).indexOf(k) : -1);

/** The sections whose approved entries change the teacher record's credential fields. */
export const CREDENTIAL_SECTIONS: readonly SectionKey[] = ['education', 'qualification', 'title', 'mandarin', 'certificate'];

/**
 * The teacher record's credential fields as the current entries of a section state them; null when no entry states
 * one (the caller then keeps what the record holds, unless the approved change was a removal).
 */
export function credentialPatch(
  section: SectionKey,
  current: VersionRow[],
  allVersions: VersionRow[],
  teacher: Pick<TeacherRow, 'certificates'>,
): Patch | null {
  const live = current.filter((v) => !v.removed && v.section === section);
  switch (section) {
    case 'education': {
      // The highest 学历 completed (an entry still in progress has no 毕业时间).
      const done = live.filter((v) => v.fields.endDate).sort((a, b) => rank(EDUCATION, b.fields.degreeLevel) - rank(EDUCATION, a.fields.degreeLevel));
      return done.length ? { education: done[0].fields.degreeLevel as TeacherUpdate['education'] } : null;
    }
    case 'title': {
      const best = [...live].sort(
        (a, b) => rank(TITLES, b.fields.level) - rank(TITLES, a.fields.level) || String(b.fields.obtainedOn).localeCompare(String(a.fields.obtainedOn)),
      )[0];
      return best ? { title: best.fields.level as TeacherUpdate['title'], titleDate: best.fields.obtainedOn } : null;
    }
    case 'mandarin': {
      // MANDARIN_LEVELS runs from 一级甲等 (best) down.
      const best = [...live].sort((a, b) => rank(MANDARIN_LEVELS, a.fields.level) - rank(MANDARIN_LEVELS, b.fields.level))[0];
      return best ? { mandarinLevel: best.fields.level as TeacherUpdate['mandarinLevel'] } : null;
    }
    case 'qualification': {
      const latest = [...live].sort((a, b) => String(b.fields.issuedOn).localeCompare(String(a.fields.issuedOn)))[0];
      if (!latest) return null;
      const type = latest.fields.type as keyof typeof QUALIFICATION_TYPES;
      return {
        qualificationType: QUALIFICATION_TYPES[type] ?? null,
        qualificationStage: (QUALIFICATION_STAGE[type] ?? null) as TeacherUpdate['qualificationStage'],
        qualificationSubject: latest.fields.subject,
        qualificationNo: latest.fields.number,
        qualificationExpiry: latest.fields.expiry,
      };
    }
    case 'certificate': {
      // Names ever stated by an entry are the entries' business: replaced by the current ones; others (from the
      // roster) stay.
      const managed = new Set(allVersions.filter((v) => v.section === 'certificate').map((v) => v.fields.name));
      const names = live.map((v) => v.fields.name).filter((n): n is string => !!n);
      const kept = teacher.certificates.filter((c) => !managed.has(c));
      return { certificates: [...new Set([...kept, ...names])].slice(0, 20) };
    }
    default:
      return null;
  }
}

const EMPTY: Record<string, null> = {
  education: null,
  title: null,
  mandarin: null,
  qualification: null,
};

/** What a removal clears when no entry of its section is left. */
function cleared(section: SectionKey): Patch | null {
  if (!(section in EMPTY)) return null;
  if (section === 'education') return { education: null };
  if (section === 'title') return { title: null, titleDate: null };
  if (section === 'mandarin') return { mandarinLevel: null };
  return { qualificationType: null, qualificationStage: null, qualificationSubject: null, qualificationNo: null, qualificationExpiry: null };
}

/** The teacher record as an update body (PII decrypted for the update path, which encrypts it again). */
function teacherUpdateOf(ctx: AppContext, t: TeacherRow): TeacherUpdate {
  return {
    name: t.name,
    nationalId: ctx.pii.decrypt(t.national_id_enc),
    phone: t.phone_enc ? ctx.pii.decrypt(t.phone_enc) : null,
    orgId: t.org_id,
    employment: t.employment as TeacherUpdate['employment'],
    stage: t.stage as TeacherUpdate['stage'],
    subjects: t.subjects as TeacherUpdate['subjects'],
    hireDate: t.hire_date,
    education: t.education as TeacherUpdate['education'],
    secondDegree: t.second_degree,
    title: t.title as TeacherUpdate['title'],
    titleDate: t.title_date,
    qualificationType: t.qualification_type,
    qualificationStage: t.qualification_stage as TeacherUpdate['qualificationStage'],
    qualificationSubject: t.qualification_subject,
    qualificationNo: t.qualification_no,
    qualificationExpiry: t.qualification_expiry,
    mandarinLevel: t.mandarin_level as TeacherUpdate['mandarinLevel'],
    certificates: t.certificates,
    roles: t.roles.map((r) => ({ role: r.role as TeacherUpdate['roles'][number]['role'], since: r.since })),
    keyLevel: t.key_level as TeacherUpdate['keyLevel'],
    keyCategory: t.key_category as TeacherUpdate['keyCategory'],
    keyTermEnd: t.key_term_end,
    partyMember: t.party_member,
    status: t.status as TeacherUpdate['status'],
    version: t.version,
  };
}

/**
 * Apply an approved change of a credential section to the teacher record: the facts its current entries state
 * (see credentialPatch), saved with teachers.service updateTeacher(ctx, reviewer, teacherId, body, 'selfService', q).
 * Runs in the approval's transaction `q`. Returns whether the teacher record changed.
 */
export async function applyApprovedChange(
  ctx: AppContext,
  q: Queryable,
  reviewer: CurrentUser,
  change: { teacherId: number; section: SectionKey; kind: 'add' | 'edit' | 'remove' },
  current: VersionRow[],
  allVersions: VersionRow[],
): Promise<boolean> {
  if (!CREDENTIAL_SECTIONS.includes(change.section)) return false;
  const t = await findTeacher(q, '/', change.teacherId);
  if (!t) return false;
  const patch = credentialPatch(change.section, current, allVersions, t) ?? (change.kind === 'remove' ? cleared(change.section) : null);
  if (!patch) return false;
  return updateTeacher(ctx, reviewer, change.teacherId, { ...teacherUpdateOf(ctx, t), ...patch }, 'selfService', q);
}
