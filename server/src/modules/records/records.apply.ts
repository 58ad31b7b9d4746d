import type { Queryable } from '../../db/db.js';
import type { CurrentUser } from '../../platform/access.js';
import { EDUCATION, MANDARIN_LEVELS, TITLES } from '../../platform/vocab.js';
import { bumpVersion, type CredentialField } from '../teachers/teacher-facts.repository.js';
import { recordCredentials } from '../teachers/teacher-facts.service.js';
import { findTeacher, insertChange, type TeacherRow } from '../teachers/teachers.repository.js';
import type { TeacherUpdate } from '../teachers/teachers.schema.js';
import type { VersionRow } from './records.repository.js';
import { QUALIFICATION_STAGE, QUALIFICATION_TYPES, SECTIONS, type SectionKey } from './records.sections.js';
import { todayInChina } from '../../platform/china-time.js';

/**
 * Where an approved record change meets the teacher's credential facts (学历, 教师资格, 职称, 普通话, 证书 on the
 * teacher record, which the compliance rules read). This is the ONE place that writes them: it derives the facts
 * from the teacher's current entries of the section and records them as dated credential facts (teacher-facts
 * recordCredentials, in the approval's transaction); nothing else in the records module writes teacher data.
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

/** The teacher record's column of each credential field of a patch (teacher_credentials keeps them by column name). */
const COLUMN: Record<keyof Patch, CredentialField> = {
  education: 'education',
  title: 'title',
  titleDate: 'title_date',
  qualificationType: 'qualification_type',
  qualificationStage: 'qualification_stage',
  qualificationSubject: 'qualification_subject',
  qualificationNo: 'qualification_no',
  qualificationExpiry: 'qualification_expiry',
  mandarinLevel: 'mandarin_level',
  certificates: 'certificates',
};

const columnsOf = (patch: Patch) =>
  Object.fromEntries(Object.entries(patch).map(([k, v]) => [COLUMN[k as keyof Patch], v ?? null])) as Partial<Record<CredentialField, unknown>>;

/** The date from which an entry's credential holds: 学历 when completed (毕业时间), others when obtained. */
const heldFrom = (v: VersionRow): string | null => {
  const key = v.section === 'education' ? 'endDate' : SECTIONS[v.section].dateKey;
  const d = v.fields[key];
  return typeof d === 'string' && d ? d : null;
};

/**
 * Apply an approved change of a credential section to the teacher's credential facts (teacher-facts
 * recordCredentials, in the approval's transaction `q`): each credential holds from the date its entry states
 * (a 职称 from its 取得时间, 学历 from its 毕业时间), not from the day of approval, so an evaluation as of an earlier
 * date sees what the teacher held then. The entries are replayed in date order: on each entry's date the fields
 * take the value the entries known by then state (see credentialPatch). A removal clears or recomputes from today
 * (the entry was a mistake or is no longer held; its past periods stay in the history). The change is logged in
 * the teacher's change history (source 'selfService'). Returns whether a fact changed.
 */
export async function applyApprovedChange(
  q: Queryable,
  reviewer: CurrentUser,
  change: { teacherId: number; section: SectionKey; kind: 'add' | 'edit' | 'remove' },
  current: VersionRow[],
  allVersions: VersionRow[],
): Promise<boolean> {
  if (!CREDENTIAL_SECTIONS.includes(change.section)) return false;
  const before = await findTeacher(q, '/', change.teacherId);
  if (!before) return false;
  const mine = current.filter((v) => v.section === change.section && !v.removed);
  const steps: { on: string; patch: Patch }[] = [];
  if (change.kind === 'remove') {
    const patch = credentialPatch(change.section, current, allVersions, before) ?? cleared(change.section);
    if (patch) steps.push({ on: todayInChina(), patch });
  } else {
    const dates = [...new Set(mine.map(heldFrom).filter((d): d is string => d !== null))].sort();
    for (const on of dates) {
      const known = current.filter((v) => v.section !== change.section || v.removed || (heldFrom(v) ?? '9999') <= on);
      const patch = credentialPatch(change.section, known, allVersions, before);
      if (patch) steps.push({ on, patch });
    }
  }
  let changed = 0;
  for (const step of steps) changed += await recordCredentials(q, reviewer.id, change.teacherId, columnsOf(step.patch), step.on);
  if (!changed) return false;
  const after = await findTeacher(q, '/', change.teacherId);
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  for (const col of Object.values(COLUMN)) {
    const a = (before as unknown as Record<string, unknown>)[col] ?? null;
    const b = (after as unknown as Record<string, unknown> | null)?.[col] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) diff[col] = { from: a, to: b };
  }
  if (Object.keys(diff).length) await insertChange(q, change.teacherId, reviewer.id, 'selfService', diff);
  await bumpVersion(q, change.teacherId);
  return true;
}
