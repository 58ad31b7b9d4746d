import { z } from 'zod';
import { IdParam, Page, PageSize, Text } from '../../platform/schemas.js';
import { CATEGORIES, HOUR_PLATFORMS, keysOf } from '../../platform/vocab.js';

const col = z.number().int().min(0, '列号无效').max(200, '列号无效');
const category = z.enum(keysOf(CATEGORIES), '请选择培训类别');

/**
 * How the user reads a platform's export: which column (0 = A) is which, from which header row, and
 * how the platform's category names map to ours. Required: 身份证号, 课程名称, 学时, 完成时间.
 */
export const ImportMapping = z
  .object({
    platform: z.enum(keysOf(HOUR_PLATFORMS), '请选择来源平台'),
    /** Excel row number of the header; data starts below it. */
    headerRow: z.number().int().min(1).max(50).default(1),
    columns: z.object({
      nationalId: col,
      course: col,
      hours: col,
      date: col,
      name: col.nullish(),
      category: col.nullish(),
    }),
    categoryMap: z.record(Text(100, '类别名称'), category).default({}),
    /** Used when there is no category column, or for rows whose category is empty or unmapped. */
    defaultCategory: category.nullish(),
  })
  .superRefine((m, c) => {
    const used = Object.entries(m.columns).filter(([, v]) => v !== null && v !== undefined) as [string, number][];
    const seen = new Map<number, string>();
    for (const [k, v] of used) {
      if (seen.has(v)) c.addIssue({ code: 'custom', path: ['columns', k], message: '同一列不能对应两个字段' });
      seen.set(v, k);
    }
    if ((m.columns.category === null || m.columns.category === undefined) && !m.defaultCategory)
      c.addIssue({ code: 'custom', path: ['defaultCategory'], message: '没有类别列时请选择默认培训类别' });
  });
export type ImportMapping = z.infer<typeof ImportMapping>;

/** Excel row numbers the importer chose not to write (rows flagged as likely duplicates in the preview). */
export const SkipRows = z
  .array(z.number('行号应为数字').int('行号应为整数').min(1, '行号无效').max(1_048_576, '行号无效'), '不导入的行应为行号列表')
  .max(100_000, '行号过多');

export const RunQuery = z.object({ dryRun: z.enum(['0', '1']).default('0') });

export { IdParam };

export const RunListQuery = z.object({
  page: Page,
  pageSize: PageSize(100, 20),
});
export type RunListQuery = z.infer<typeof RunListQuery>;
