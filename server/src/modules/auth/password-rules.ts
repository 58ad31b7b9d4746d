/**
 * The rules a new password must meet (全国教师管理信息系统 and 等保2.0 三级: at least 8 characters from at
 * least 3 of the 4 classes upper-case, lower-case, digits, symbols). Pure (no Node imports): the server
 * enforces them and the web form imports the same function, so the client-side check never disagrees.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 64;

export const PASSWORD_RULE_TEXT = `新密码至少 ${PASSWORD_MIN_LENGTH} 位，且须包含大写字母、小写字母、数字、符号中的至少 3 类`;

/** The hint under a new-password field. */
export const PASSWORD_RULE_HINT = `至少 ${PASSWORD_MIN_LENGTH} 位，含大写字母、小写字母、数字、符号中的至少 3 类，不能与用户名或最近使用过的密码相同`;

/** The refusal of a password used recently (安全策略: the last `n` passwords, the current one included). */
export function reusedPasswordMessage(n: number): string {
  return `新密码不能与最近 ${n} 次使用过的密码相同`;
}

/** How many of the four classes (upper, lower, digit, symbol) the password uses. */
export function characterClasses(p: string): number {
  return [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(p)).length;
}

/** Why `newPassword` is refused (a Chinese message for the newPassword field), or null if it is acceptable. */
export function newPasswordProblem(newPassword: string, opts: { username: string; currentPassword?: string }): string | null {
  if (newPassword.length < PASSWORD_MIN_LENGTH || characterClasses(newPassword) < 3) return PASSWORD_RULE_TEXT;
  if (newPassword.length > PASSWORD_MAX_LENGTH) return `新密码不能超过 ${PASSWORD_MAX_LENGTH} 位`;
  if (newPassword.trim().toLowerCase() === opts.username.trim().toLowerCase()) return '新密码不能与用户名相同';
  if (opts.currentPassword !== undefined && newPassword === opts.currentPassword) return '新密码不能与当前密码相同';
  return null;
}
