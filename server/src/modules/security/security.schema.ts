import { z } from 'zod';
import { RequiredText, Text } from '../../platform/schemas.js';

const int = (min: number, max: number, label: string, unit: string) =>
  z
    .number({ error: `请填写${label}` })
    .int(`${label}应为整数`)
    .min(min, `${label}应在 ${min}–${max} ${unit}之间`)
    .max(max, `${label}应在 ${min}–${max} ${unit}之间`);

/**
 * 安全策略 as the 安全管理员 sets it. The ranges keep every value within what 等保2.0 三级 accepts (a session
 * must time out, a lock must hold for minutes, not seconds); the page shows the recommended values.
 */
export const SettingsInput = z.object({
  lockoutThreshold: int(3, 10, '连续登录失败次数', '次'),
  lockoutMinutes: int(5, 1440, '锁定时长', '分钟'),
  sessionIdleMinutes: int(5, 60, '空闲超时', '分钟'),
  sessionAbsoluteHours: int(1, 24, '会话最长时长', '小时'),
  passwordHistory: int(1, 24, '密码历史', '次'),
  totpRequired: z.boolean({ error: '请选择是否要求管理员使用动态口令' }),
  reason: RequiredText(200, '变更原因'),
});
export type SettingsInput = z.infer<typeof SettingsInput>;

export const AccountSearchQuery = z.object({
  q: Text(64, '查询内容').optional(),
  /** Only accounts locked now. */
  locked: z.enum(['1', '0']).optional(),
});
export type AccountSearchQuery = z.infer<typeof AccountSearchQuery>;

export const FailedLoginsQuery = z.object({
  hours: z.coerce.number().int().min(1, '时间范围应在 1–168 小时之间').max(168, '时间范围应在 1–168 小时之间').default(24),
});

export const ResetTotpBody = z.object({ reason: RequiredText(200, '重置原因') });
