import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { requirePermission } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { writeXlsx } from '../../platform/excel.js';
import type { Queryable } from '../../db/db.js';
import * as repo from './issue.repository.js';
import type { SlipKind, SlipRow } from './issue.repository.js';

/**
 * 账号单: the initial passwords of one run (开通, 重置, 新建), kept encrypted for the 系统管理员 who made them
 * so they can be printed and handed out. Only the issuer reads it, once (the download destroys the
 * passwords), and only for SLIP_HOURS; then it is purged. Every download is audited, never its content.
 */
export const SLIP_HOURS = 24;

export interface SlipEntry {
  name: string;
  orgName: string;
  username: string;
  password: string;
  /** How this person signs in (用户名 / 身份证号 / 手机号). */
  signIn: string;
}

export const SLIP_KIND_LABELS: Record<SlipKind, string> = { issue: '开通账号', reset: '重置密码', create: '新建管理员账号' };

export function presentSlip(s: SlipRow) {
  return {
    id: s.id,
    kind: s.kind,
    kindLabel: SLIP_KIND_LABELS[s.kind],
    count: s.entry_count,
    createdAt: s.created_at,
    expiresAt: s.expires_at,
    downloadedAt: s.downloaded_at,
  };
}
export type SlipDto = ReturnType<typeof presentSlip>;

/**
 * The slip these entries go on: the caller's open slip `slipId` of the same kind (a later round of the
 * same run), or a new one. A downloaded or expired slip takes no more entries.
 */
export async function slipFor(q: Queryable, user: CurrentUser, kind: SlipKind, slipId: number | undefined): Promise<SlipRow> {
  if (slipId === undefined) return repo.createSlip(q, user.id, kind, SLIP_HOURS);
  const s = await repo.lockSlip(q, slipId, user.id);
  if (!s) throw notFound('账号单');
  if (s.downloaded_at) throw conflict('该账号单已下载，不能再追加；请重新开始');
  if (s.kind !== kind) throw conflict('账号单类型不符');
  return s;
}

export async function appendToSlip(ctx: AppContext, q: Queryable, slip: SlipRow, entries: SlipEntry[]): Promise<void> {
  await repo.appendSlipEntries(
    q,
    slip,
    entries.map((e) => ctx.pii.encrypt(JSON.stringify(e))),
  );
}

export async function listSlips(ctx: AppContext, user: CurrentUser): Promise<SlipDto[]> {
  requirePermission(user, 'accounts.manage');
  return (await repo.listSlips(ctx.db, user.id)).map(presentSlip);
}

const SIGN_IN_NOTE = '打开强师平台登录页，输入用户名（或“登录方式”中列出的身份证号、手机号）和初始密码登录；首次登录须设置只有本人知道的新密码。';

/** The .xlsx of a slip's entries (one row per account, printable and cut into slips). */
export async function slipWorkbook(kind: SlipKind, entries: SlipEntry[]): Promise<Buffer> {
  const org = kind === 'issue' ? '学校' : '单位';
  return writeXlsx([
    {
      name: '账号单',
      columns: [
        { header: '序号', width: 6 },
        { header: '姓名', width: 12 },
        { header: org, width: 24 },
        { header: '用户名', width: 16, text: true },
        { header: '初始密码', width: 14, text: true },
        { header: '登录方式说明', width: 60 },
      ],
      rows: entries.map((e, i) => [i + 1, e.name, e.orgName, e.username, e.password, `可用${e.signIn}登录。${SIGN_IN_NOTE}`]),
    },
    {
      name: '说明',
      columns: [{ header: '使用说明', width: 90 }],
      rows: [
        ['本账号单含初始密码，请逐人分发给本人，分发后销毁纸质或电子件，不要转发到群聊。'],
        ['账号单只能下载一次，下载后服务器上的初始密码即被销毁；遗失时请在“账号管理”中为相关账号重置密码。'],
        ['初始密码仅能用于首次登录，登录后须立即修改；忘记密码请联系本单位系统管理员重置。'],
      ],
    },
  ]);
}

/** Download a slip (issuer only, once, audited): the workbook and its file name. */
export async function downloadSlip(
  ctx: AppContext,
  user: CurrentUser,
  slipId: number,
  ip?: string,
): Promise<{ fileName: string; body: Buffer; count: number }> {
  requirePermission(user, 'accounts.manage');
  // The workbook is built inside the transaction: if that failed, the passwords would still be there.
  return ctx.db.tx(async (q) => {
    const s = await repo.lockSlip(q, slipId, user.id);
    if (!s) throw notFound('账号单');
    if (s.downloaded_at) throw new AppError('CONFLICT', '该账号单已下载过，初始密码已销毁；如有遗失，请为相关账号重置密码');
    const entries = (await repo.takeSlipEntries(q, s.id)).map((e) => JSON.parse(ctx.pii.decrypt(e)) as SlipEntry);
    const body = await slipWorkbook(s.kind, entries);
    await audit(q, user, 'account.slip.download', 'account_slip', s.id, { kind: s.kind, count: entries.length }, ip);
    const stamp = new Date(s.created_at).toISOString().slice(0, 10);
    return { fileName: `账号单-${SLIP_KIND_LABELS[s.kind]}-${stamp}-${s.id}.xlsx`, body, count: entries.length };
  });
}

/** Delete expired slips (their passwords with them). */
export async function purgeExpiredSlips(ctx: AppContext): Promise<number> {
  return repo.purgeExpiredSlips(ctx.db);
}

/** Run purgeExpiredSlips shortly after start and then hourly in this process; returns a stop function. */
export function startSlipPurge(ctx: AppContext, log: (msg: string, err?: unknown) => void = () => undefined, everyMs = 3600_000): () => void {
  const tick = async () => {
    try {
      const n = await purgeExpiredSlips(ctx);
      if (n) log(`已清理 ${n} 份过期账号单`);
    } catch (err) {
      log('清理过期账号单失败', err);
    }
  };
  const first = setTimeout(() => void tick(), 10_000);
  const every = setInterval(() => void tick(), everyMs);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
