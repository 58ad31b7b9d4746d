import { z } from 'zod';
import { EDUCATION, MANDARIN_LEVELS, TITLES } from '../../platform/vocab.js';
import { IsoDate, Text } from '../../platform/schemas.js';
import type { FieldError } from '../../platform/errors.js';

/**
 * The sections of a teacher's record (as the 全国教师管理信息系统 has them) and the fields of each entry. The
 * definitions drive everything: the server validates an entry with them, the web form is built from them
 * (GET /my/record sends them), the review shows each field's label and option text.
 */

export type FieldType = 'text' | 'date' | 'select';

export interface FieldDef {
  key: string;
  label: string;
  type: FieldType;
  required?: boolean;
  /** text: at most this many characters (default 50). */
  max?: number;
  options?: Record<string, string>;
  /** A certificate number: hidden from viewers with the 'limited' personal-data view. */
  secret?: boolean;
  /** Shown under the field in the form. */
  hint?: string;
}

export const SECTION_KEYS = ['education', 'work', 'qualification', 'title', 'mandarin', 'certificate', 'honour', 'achievement'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

export interface SectionDef {
  key: SectionKey;
  label: string;
  fields: FieldDef[];
  /** Evidence must be attached before the change can be 报送. */
  evidenceRequired: boolean;
  /** The fields that name an entry in lists ("北京师范大学 数学与应用数学"). */
  titleKeys: string[];
  /** The field entries are ordered by (newest first). */
  dateKey: string;
  /** The completeness check wants at least one entry of this section. */
  expected?: string;
}

export const QUALIFICATION_TYPES = {
  kindergarten: '幼儿园教师资格',
  primary: '小学教师资格',
  junior: '初级中学教师资格',
  senior: '高级中学教师资格',
  vocational: '中等职业学校教师资格',
  vocationalPractice: '中等职业学校实习指导教师资格',
} as const;

/** The 学段 a qualification type is for (teachers.qualification_stage). */
export const QUALIFICATION_STAGE: Record<keyof typeof QUALIFICATION_TYPES, string> = {
  kindergarten: 'kindergarten',
  primary: 'primary',
  junior: 'junior',
  senior: 'senior',
  vocational: 'vocational',
  vocationalPractice: 'vocational',
};

const DEGREES = { none: '无学位', bachelor: '学士', master: '硕士', doctor: '博士' } as const;
const STUDY_MODES = { fullTime: '全日制', partTime: '非全日制' } as const;
const HONOUR_LEVELS = { national: '国家级', province: '省级', city: '市级', county: '县级', school: '校级' } as const;
const ACHIEVEMENT_KINDS = { paper: '论文', project: '课题', book: '著作', teachingAward: '教学成果奖', other: '其他' } as const;
const { none: _untitled, ...RANKED_TITLES } = TITLES;

export const SECTIONS: Record<SectionKey, SectionDef> = {
  education: {
    key: 'education',
    label: '学习经历',
    evidenceRequired: true,
    titleKeys: ['institution', 'major'],
    dateKey: 'startDate',
    expected: '没有学历（学习经历）记录',
    fields: [
      { key: 'startDate', label: '入学时间', type: 'date', required: true },
      { key: 'endDate', label: '毕业时间', type: 'date', hint: '在读请留空' },
      { key: 'institution', label: '学校名称', type: 'text', required: true },
      { key: 'major', label: '专业', type: 'text' },
      { key: 'degreeLevel', label: '学历', type: 'select', required: true, options: EDUCATION },
      { key: 'degree', label: '学位', type: 'select', options: DEGREES },
      { key: 'mode', label: '学习方式', type: 'select', options: STUDY_MODES },
      { key: 'certificateNo', label: '毕业证书编号', type: 'text', max: 40, secret: true },
    ],
  },
  work: {
    key: 'work',
    label: '工作经历',
    evidenceRequired: false,
    titleKeys: ['employer', 'position'],
    dateKey: 'startDate',
    fields: [
      { key: 'startDate', label: '开始时间', type: 'date', required: true },
      { key: 'endDate', label: '结束时间', type: 'date', hint: '至今请留空' },
      { key: 'employer', label: '工作单位', type: 'text', required: true },
      { key: 'position', label: '岗位/职务', type: 'text', max: 30 },
    ],
  },
  qualification: {
    key: 'qualification',
    label: '教师资格',
    evidenceRequired: true,
    titleKeys: ['type', 'subject'],
    dateKey: 'issuedOn',
    expected: '没有教师资格记录',
    fields: [
      { key: 'type', label: '资格种类', type: 'select', required: true, options: QUALIFICATION_TYPES },
      { key: 'subject', label: '任教学科', type: 'text', max: 30 },
      { key: 'number', label: '证书编号', type: 'text', required: true, max: 40, secret: true },
      { key: 'issuedOn', label: '取得时间', type: 'date', required: true },
      { key: 'issuer', label: '发证机关', type: 'text' },
      { key: 'expiry', label: '注册有效期至', type: 'date', hint: '定期注册的有效期，可留空' },
    ],
  },
  title: {
    key: 'title',
    label: '职称',
    evidenceRequired: true,
    titleKeys: ['level'],
    dateKey: 'obtainedOn',
    expected: '没有职称记录',
    fields: [
      { key: 'level', label: '职称等级', type: 'select', required: true, options: RANKED_TITLES },
      { key: 'obtainedOn', label: '取得时间', type: 'date', required: true },
      { key: 'issuer', label: '评审/发证单位', type: 'text' },
      { key: 'number', label: '证书编号', type: 'text', max: 40, secret: true },
    ],
  },
  mandarin: {
    key: 'mandarin',
    label: '普通话',
    evidenceRequired: true,
    titleKeys: ['level'],
    dateKey: 'obtainedOn',
    fields: [
      { key: 'level', label: '普通话等级', type: 'select', required: true, options: MANDARIN_LEVELS },
      { key: 'obtainedOn', label: '取得时间', type: 'date', required: true },
      { key: 'number', label: '证书编号', type: 'text', max: 40, secret: true },
      { key: 'issuer', label: '发证机构', type: 'text' },
    ],
  },
  certificate: {
    key: 'certificate',
    label: '其他证书',
    evidenceRequired: true,
    titleKeys: ['name'],
    dateKey: 'obtainedOn',
    fields: [
      { key: 'name', label: '证书名称', type: 'text', required: true },
      { key: 'obtainedOn', label: '取得时间', type: 'date', required: true },
      { key: 'issuer', label: '发证机构', type: 'text' },
      { key: 'number', label: '证书编号', type: 'text', max: 40, secret: true },
    ],
  },
  honour: {
    key: 'honour',
    label: '荣誉',
    evidenceRequired: true,
    titleKeys: ['name'],
    dateKey: 'awardedOn',
    fields: [
      { key: 'name', label: '荣誉名称', type: 'text', required: true, max: 100 },
      { key: 'level', label: '级别', type: 'select', required: true, options: HONOUR_LEVELS },
      { key: 'awardedOn', label: '获得时间', type: 'date', required: true },
      { key: 'issuer', label: '授予单位', type: 'text', required: true },
    ],
  },
  achievement: {
    key: 'achievement',
    label: '教学科研成果',
    evidenceRequired: true,
    titleKeys: ['kind', 'title'],
    dateKey: 'date',
    fields: [
      { key: 'kind', label: '成果类型', type: 'select', required: true, options: ACHIEVEMENT_KINDS },
      { key: 'title', label: '成果名称', type: 'text', required: true, max: 100 },
      { key: 'date', label: '发表/结题时间', type: 'date', required: true },
      { key: 'publisher', label: '刊物/立项单位', type: 'text', max: 100 },
      { key: 'role', label: '本人角色/排名', type: 'text', max: 30 },
    ],
  },
};

/** An entry's fields as stored: every key of its section, a string or null. */
export type EntryFields = Record<string, string | null>;

function fieldSchema(f: FieldDef) {
  if (f.type === 'date') {
    const d = IsoDate;
    return f.required ? d : d.nullable();
  }
  if (f.type === 'select') {
    const keys = Object.keys(f.options ?? {}) as [string, ...string[]];
    const e = z.enum(keys, `请选择${f.label}`);
    return f.required ? e : e.nullable();
  }
  const t = Text(f.max ?? 50, f.label);
  return f.required ? t.refine((s) => s.length > 0, `请填写${f.label}`) : t.nullable();
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Check an entry's fields against its section: each field's own rule (required, length, a real date, one of the
 * options), then dates not in the future and an end not before its start. Returns the cleaned fields (every key
 * present, blanks as null) or the field errors, each named by the field's key with a Chinese message.
 */
export function validateFields(
  section: SectionKey,
  raw: Record<string, unknown>,
  today: string,
): { ok: true; fields: EntryFields } | { ok: false; errors: FieldError[] } {
  const def = SECTIONS[section];
  const errors: FieldError[] = [];
  const fields: EntryFields = {};
  for (const f of def.fields) {
    const v = raw[f.key];
    if (blank(v)) {
      if (f.required) errors.push({ field: f.key, message: f.type === 'text' ? `请填写${f.label}` : `请选择${f.label}` });
      fields[f.key] = null;
      continue;
    }
    const r = fieldSchema(f).safeParse(typeof v === 'string' ? v : String(v));
    if (!r.success) {
      const m = r.error.issues[0]?.message ?? '格式不正确';
      errors.push({ field: f.key, message: m.includes(f.label) ? m : `${f.label}：${m}` });
    } else fields[f.key] = r.data as string;
  }
  const unknown = Object.keys(raw).filter((k) => !def.fields.some((f) => f.key === k));
  if (unknown.length) errors.push({ field: unknown[0], message: `${def.label}没有「${unknown[0]}」这一项` });
  for (const f of def.fields) {
    const v = fields[f.key];
    if (f.type === 'date' && v && v > today) errors.push({ field: f.key, message: `${f.label}不能晚于今天` });
  }
  const start = fields.startDate;
  const end = fields.endDate;
  if (start && end && end < start)
    errors.push({ field: 'endDate', message: `${def.fields.find((f) => f.key === 'endDate')?.label}不能早于${def.fields[0].label}` });
  return errors.length ? { ok: false, errors } : { ok: true, fields };
}

/** The text a field's value shows (an option's label, the date as it is, '—' for blank). */
export function displayValue(f: FieldDef, v: string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  if (f.type === 'select') return f.options?.[v] ?? v;
  return v;
}

/** The name of an entry in lists: its title fields' display values. */
export function entryTitle(section: SectionKey, fields: EntryFields): string {
  const def = SECTIONS[section];
  return (
    def.titleKeys
      .map((k) => {
        const f = def.fields.find((x) => x.key === k);
        return f && fields[k] ? displayValue(f, fields[k]) : '';
      })
      .filter(Boolean)
      .join(' ') || def.label
  );
}

/** Field by field, what differs between two versions of an entry: { key: { from, to } } (raw values). */
export function diffFields(
  section: SectionKey,
  before: EntryFields | null,
  after: EntryFields | null,
): Record<string, { from: string | null; to: string | null }> {
  const out: Record<string, { from: string | null; to: string | null }> = {};
  for (const f of SECTIONS[section].fields) {
    const a = before?.[f.key] ?? null;
    const b = after?.[f.key] ?? null;
    if (a !== b) out[f.key] = { from: a, to: b };
  }
  return out;
}
