import { z } from 'zod';
import { Id, IsoDate, Name, RequiredText, Text } from '../../platform/schemas.js';
import { keysOf, LOCALES, ORG_KINDS, OWNERSHIPS, SCHOOL_TYPES } from '../../platform/vocab.js';

/** Org kinds a manager creates (groupings included: 学区/教育集团 are orgs whose members stay in place). */
export const OrgKind = z.enum(keysOf(ORG_KINDS), { error: '请选择单位类型' });
export const SchoolType = z.enum(keysOf(SCHOOL_TYPES), { error: '请选择学校类型' });
export const Ownership = z.enum(keysOf(OWNERSHIPS), { error: '请选择办学性质' });
export const Locale = z.enum(keysOf(LOCALES), { error: '请选择城乡类型' });

/** 学校标识码: exactly 10 digits. */
export const SCHOOL_ID_CODE = /^\d{10}$/;
export const SchoolIdCode = Text(20, '学校标识码').refine((s) => s === '' || SCHOOL_ID_CODE.test(s), '学校标识码应为 10 位数字');

/** 单位代码: letters, digits, '-' and '_' (codes appear in imports and URLs of other systems). */
export const OrgCode = RequiredText(40, '单位代码').refine((s) => /^[A-Za-z0-9_-]+$/.test(s), '单位代码只能包含字母、数字、“-”和“_”');

const attributes = {
  name: Name(2, 100, '单位名称'),
  code: OrgCode,
  schoolType: SchoolType.nullish(),
  ownership: Ownership.nullish(),
  locale: Locale.nullish(),
  schoolIdCode: SchoolIdCode.nullish(),
};

export const OrgCreateBody = z.object({ ...attributes, parentId: Id, kind: OrgKind, reason: Text(200, '说明').optional() });
export type OrgCreate = z.infer<typeof OrgCreateBody>;

export const OrgUpdateBody = z.object({ ...attributes, version: z.number().int().positive(), reason: Text(200, '修改原因').optional() });
export type OrgUpdate = z.infer<typeof OrgUpdateBody>;

export const OrgMoveBody = z.object({ parentId: Id, reason: RequiredText(200, '调整原因') });
export const OrgMergeBody = z.object({ targetId: Id, reason: RequiredText(200, '合并原因') });
export const OrgCloseBody = z.object({ reason: RequiredText(200, '撤销原因') });

export const GroupMemberBody = z.object({ orgId: Id, validFrom: IsoDate.optional() });
export const GroupMemberEndBody = z.object({ validTo: IsoDate.optional() });
export const GroupMemberParams = z.object({ id: Id, memberId: Id });
