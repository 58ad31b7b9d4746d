/**
 * The rules a new password must meet. Pure (no Node imports): the server enforces them and the web
 * form imports the same function, so the client-side check never disagrees with the server.
 */
export const PASSWORD_MIN_LENGTH = 8;

export const PASSWORD_RULE_TEXT = `新密码至少 ${PASSWORD_MIN_LENGTH} 位，且须同时包含字母和数字`;

/** Why `newPassword` is refused (a Chinese message for the newPassword field), or null if it is acceptable. */
export function newPasswordProblem(newPassword: string, opts: { username: string; currentPassword?: string }): string | null {
  if (newPassword.length < PASSWORD_MIN_LENGTH || !/[A-Za-z]/.test(newPassword) || !/[0-9]/.test(newPassword)) return PASSWORD_RULE_TEXT;
  if (newPassword.trim().toLowerCase() === opts.username.trim().toLowerCase()) return '新密码不能与用户名相同';
  if (opts.currentPassword !== undefined && newPassword === opts.currentPassword) return '新密码不能与当前密码相同';
  return null;
}
