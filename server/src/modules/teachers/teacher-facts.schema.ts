import { z } from 'zod';
import { EDUCATION, KEY_CATEGORIES, KEY_LEVELS, keysOf, MANDARIN_LEVELS, STAGES, TEACHER_ROLES, TEACHER_STATUS, TITLES } from '../../platform/vocab.js';
import { Id, IsoDate, RequiredText, Text } from '../../platform/schemas.js';

/** School assignment kinds: 入职, 调入, 交流轮岗, 借调 (initial and orgMerge are written by the system only). */
export const ASSIGNMENT_KINDS = { hire: '入职', transfer: '调入', rotation: '交流轮岗', secondment: '借调' } as const;

export const FACT_KINDS = { role: '任职', assignment: '任职学校', status: '在职状态', credential: '资格与证书', designation: '骨干教师认定' } as const;

const Note = Text(200, '备注').nullish();

/** Credential fields and their values (null clears the field from the effective date). */
export const CredentialValues = z
  .object({
    qualification_type: Text(30, '资格证种类').nullable(),
    qualification_stage: z.enum(keysOf(STAGES)).nullable(),
    qualification_subject: Text(30, '资格证学科').nullable(),
    qualification_no: Text(40, '资格证编号').nullable(),
    qualification_expiry: IsoDate.nullable(),
    title: z.enum(keysOf(TITLES)).nullable(),
    title_date: IsoDate.nullable(),
    mandarin_level: z.enum(keysOf(MANDARIN_LEVELS)).nullable(),
    certificates: z.array(Text(50, '证书')).max(20),
    education: z.enum(keysOf(EDUCATION)).nullable(),
    second_degree: Text(50, '第二学历').nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '请至少填写一项资格或证书', path: ['values'] });

/** A new fact of one kind, with its effective date. */
export const FactInput = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('role'), role: z.enum(keysOf(TEACHER_ROLES), '请选择任职'), since: IsoDate.nullish(), note: Note }),
    z.object({
      kind: z.literal('assignment'),
      orgId: Id,
      assignmentKind: z.enum(keysOf(ASSIGNMENT_KINDS), '请选择调动类型'),
      validFrom: IsoDate,
      note: Note,
    }),
    z.object({ kind: z.literal('status'), status: z.enum(keysOf(TEACHER_STATUS), '请选择在职状态'), validFrom: IsoDate, note: Note }),
    z.object({ kind: z.literal('credential'), validFrom: IsoDate, values: CredentialValues }),
    z.object({
      kind: z.literal('designation'),
      level: z.enum(keysOf(KEY_LEVELS), '请选择级别'),
      category: z.enum(keysOf(KEY_CATEGORIES)).nullish(),
      validFrom: IsoDate.nullish(),
      validUntil: IsoDate.nullish(),
    }),
  ],
  { error: '请选择要登记的信息类型' },
);
export type FactInput = z.infer<typeof FactInput>;

const Kind = z.enum(keysOf(FACT_KINDS), '记录类型无效');

export const FactEnd = z.object({ kind: Kind, factId: Id, until: IsoDate.nullish() });
export type FactEnd = z.infer<typeof FactEnd>;

export const FactCorrect = z
  .object({ kind: Kind, factId: Id, from: IsoDate.nullish(), until: IsoDate.nullish(), note: Note })
  .refine((b) => !b.from || !b.until || b.until >= b.from, { message: '结束日期不能早于开始日期', path: ['until'] });
export type FactCorrect = z.infer<typeof FactCorrect>;

export const FactDelete = z.object({ kind: Kind, factId: Id, reason: RequiredText(200, '删除原因') });
export type FactDelete = z.infer<typeof FactDelete>;
