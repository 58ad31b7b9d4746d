import { z } from 'zod';
import { Id, IsoDate, RequiredText, Text, Year } from '../../platform/schemas.js';
import { ROTATION_KIND_CODES, ROTATION_KINDS } from '../policies/policy.rotation.js';

const Kind = z.enum(ROTATION_KIND_CODES, { error: () => `交流类型应为以下之一：${Object.values(ROTATION_KINDS).join(' / ')}` });
const Note = Text(500, '备注').optional();

export const PlanBody = z.object({
  orgId: Id,
  year: Year,
  plannedCount: z.coerce.number({ error: '计划人数应为数字' }).int('计划人数应为整数').min(0, '计划人数不能为负').max(100000, '计划人数过大'),
  note: Note,
});
export type PlanInput = z.infer<typeof PlanBody>;

export const RecordBody = z.object({
  teacherId: Id,
  toOrgId: Id,
  kind: Kind,
  startDate: IsoDate,
  endDate: IsoDate.nullish(),
  /** Absent: taken from the receiving school (orgs.locale = rural). */
  rural: z.boolean().optional(),
  planId: Id.nullish(),
  note: Note,
});
export type RecordInput = z.infer<typeof RecordBody>;

export const EndBody = z.object({
  endDate: IsoDate,
  /** 交流/轮岗 only: the teacher returns to the sending school the day after. */
  returnToOrigin: z.boolean().default(false),
});

export const CorrectBody = z.object({
  startDate: IsoDate.optional(),
  endDate: IsoDate.nullish(),
  rural: z.boolean().optional(),
  note: Note,
  reason: RequiredText(200, '更正原因'),
});
export type CorrectInput = z.infer<typeof CorrectBody>;

export const YearQuery = z.object({ year: Year.optional() });
export const RecordsQuery = z.object({ year: Year.optional(), teacherId: Id.optional() });
export const EligibleQuery = z.object({ asOf: IsoDate.optional(), orgId: Id.optional() });
