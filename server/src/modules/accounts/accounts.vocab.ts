/**
 * Words of 账号管理 shared by the server and the web (pure: no imports, so the web bundle takes only these).
 */

/** What an account's state is, as the lists filter and show it. */
export const ACCOUNT_STATUS = {
  none: '未开通',
  mustChange: '待首次登录改密',
  active: '正常',
  noRole: '无有效角色',
  deactivated: '已停用',
} as const;
export type AccountStatus = keyof typeof ACCOUNT_STATUS;

/** Teachers per 开通账号 request; bigger selections (a county) are sent in rounds of this size. */
export const ISSUE_CHUNK = 100;
