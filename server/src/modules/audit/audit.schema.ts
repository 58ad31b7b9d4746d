import { z } from 'zod';
import { IsoDate, Text } from '../../platform/schemas.js';

/** The auditor's filters: time range (calendar days, China time), who, what, on which record. */
export const AuditFilters = z
  .object({
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    /** Username or name (part of it). */
    user: Text(64, '用户').optional(),
    action: Text(64, '操作').optional(),
    entity: Text(64, '对象类型').optional(),
    entityId: Text(64, '对象编号').optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: '开始日期不能晚于结束日期', path: ['to'] });
export type AuditFilters = z.infer<typeof AuditFilters>;

export const AuditListQuery = z.intersection(
  AuditFilters,
  z.object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100, '每页最多 100 条').default(20),
  }),
);
export type AuditListQuery = z.infer<typeof AuditListQuery>;
