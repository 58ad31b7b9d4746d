import { z } from 'zod';
import { Id, IdList } from '../../platform/schemas.js';
import { TeacherListQuery } from './teachers.schema.js';

export const BatchParam = z.object({ batchId: Id });

export const CommitBody = z.object({
  mode: z.enum(['all', 'validOnly'], { error: '导入方式应为 all（全部导入，有错误则不导入）或 validOnly（仅导入无误的行）' }),
  /** Row numbers of name conflicts the user confirmed (确认更名); other conflict rows are skipped. */
  confirmRenames: IdList(2000).default([]),
});
export type CommitBody = z.infer<typeof CommitBody>;

/** Export takes the list filters of GET /teachers, without paging: the whole filtered list. */
export const ExportQuery = TeacherListQuery.omit({ page: true, pageSize: true });
export type ExportQuery = z.infer<typeof ExportQuery>;
