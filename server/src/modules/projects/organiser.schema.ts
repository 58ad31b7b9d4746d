import { z } from 'zod';
import { IdList, Text } from '../../platform/schemas.js';
import { keysOf } from '../../platform/vocab.js';
import { BATCH_MARKS } from './organiser.labels.js';
import { SPLIT_METHODS } from './quota-split.js';

export const BatchAttendanceInput = z.object({
  teacherIds: IdList(2000).min(1, '请至少选择一位教师'),
  mark: z.enum(keysOf(BATCH_MARKS), { error: '请选择出勤、缺勤或请假' }),
  reason: Text(200, '请假原因').optional(),
});

export const SplitQuery = z.object({
  mode: z.enum(['top', 'sub']).default('top'),
  method: z.enum(keysOf(SPLIT_METHODS), { error: '请选择分配方式' }),
  total: z.coerce.number('请填写名额总数').int('名额应为整数').min(0, '名额不能为负').max(100_000, '名额过大'),
});

export const ModeQuery = z.object({ mode: z.enum(['top', 'sub']).default('top') });
