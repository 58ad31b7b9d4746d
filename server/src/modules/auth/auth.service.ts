import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { destroyOtherSessions, hashPassword, verifyPassword } from '../../platform/auth.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, type FieldError } from '../../platform/errors.js';
import * as repo from './auth.repository.js';
import type { ChangePasswordInput } from './auth.schema.js';
import { newPasswordProblem } from './password-rules.js';

/** Wrong current passwords allowed per user in the window before 修改密码 refuses for a while. */
export const PASSWORD_FAILURE_LIMIT = 5;
export const PASSWORD_FAILURE_WINDOW_MIN = 15;
const FAILED_ACTION = 'password.change_failed';

/**
 * 修改密码: the caller proves the current password and sets a new one that meets the rules.
 * On success every other session of the user ends (the one making the request stays) and an audit
 * line is written — never the passwords. Wrong current passwords are counted per user (audit log),
 * so guessing through a stolen session is throttled across app processes.
 */
export async function changePassword(
  ctx: AppContext,
  user: CurrentUser,
  input: ChangePasswordInput,
  session: { token: string; ip?: string },
): Promise<void> {
  const failures = await repo.countRecentFailures(ctx.db, user.id, FAILED_ACTION, PASSWORD_FAILURE_WINDOW_MIN);
  if (failures >= PASSWORD_FAILURE_LIMIT) {
    throw new AppError('RATE_LIMITED', `当前密码输错次数过多，请 ${PASSWORD_FAILURE_WINDOW_MIN} 分钟后再试`);
  }

  const outcome = await ctx.db.tx(async (q) => {
    const stored = await repo.lockPasswordHash(q, user.id);
    if (stored === null) throw new AppError('UNAUTHENTICATED', '请先登录');
    const fields: FieldError[] = [];
    const currentOk = await verifyPassword(stored, input.currentPassword);
    if (!currentOk) fields.push({ field: 'currentPassword', message: '当前密码不正确' });
    // Only compare with the current password once it is proven, so the check tells a guesser nothing.
    const problem = newPasswordProblem(input.newPassword, { username: user.username, currentPassword: currentOk ? input.currentPassword : undefined });
    if (problem) fields.push({ field: 'newPassword', message: problem });
    if (fields.length) return { ok: false as const, fields, wrongCurrent: !currentOk };

    await repo.updatePasswordHash(q, user.id, await hashPassword(input.newPassword));
    const ended = await destroyOtherSessions(q, user.id, session.token);
    await audit(q, user, 'password.change', 'user', user.id, { otherSessionsEnded: ended }, session.ip);
    return { ok: true as const };
  });

  if (!outcome.ok) {
    // Written outside the (read-only) transaction above so the count survives the refusal.
    if (outcome.wrongCurrent) await audit(ctx.db, user, FAILED_ACTION, 'user', user.id, {}, session.ip);
    throw badRequest(outcome.fields.map((f) => f.message).join('；'), outcome.fields);
  }
}
