import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { Config } from '../../config.js';

/**
 * 忘记密码. Qiangshi resets passwords through people: the school's 系统管理员 issues a new initial password
 * (账号管理 → 重置密码), as in the 全国教师管理信息系统. Deployments that have an SMS gateway can plug it in
 * here; Qiangshi ships no sender of its own (and no pretend one).
 *
 * The hook: set SMS_GATEWAY_MODULE to the path of an ES module whose default export is a factory
 * `(env: NodeJS.ProcessEnv) => SmsGateway`, e.g. a thin client of the province's 短信平台. When it is set,
 * the login page says so (GET /api/auth/password-help answers sms: true) and a self-service flow — a
 * one-time code to the teacher's registered phone (teachers.phone_enc), then a new password — can be
 * built on `send`. Until a deployment supplies a gateway, the page explains whom to ask.
 */
export interface SmsGateway {
  /** Shown to administrators, e.g. '省教育短信平台'. */
  readonly name: string;
  /** Send one text message to a mainland mobile number (11 digits); reject on failure. */
  send(phone: string, text: string): Promise<void>;
}

export type SmsGatewayFactory = (env: NodeJS.ProcessEnv) => SmsGateway | Promise<SmsGateway>;

let loaded: { key: string; gateway: Promise<SmsGateway | null> } | null = null;

/** The configured gateway (loaded once per module path), or null when none is configured. */
export function smsGateway(config: Pick<Config, 'smsGatewayModule'>): Promise<SmsGateway | null> {
  const key = config.smsGatewayModule ?? '';
  if (loaded?.key !== key) {
    loaded = {
      key,
      gateway: key
        ? import(pathToFileURL(resolve(key)).href).then(async (m: { default?: SmsGatewayFactory }) => {
            if (typeof m.default !== 'function') throw new Error(`SMS_GATEWAY_MODULE ${key} 没有默认导出的工厂函数`);
            return m.default(process.env);
          })
        : Promise.resolve(null),
    };
  }
  return loaded.gateway;
}

export const PASSWORD_HELP_TEXT = [
  '忘记密码时，请联系本校（本单位）的系统管理员，在“账号管理”中为您重置密码。',
  '系统管理员会给您一个新的初始密码；用它登录后，须立即设置只有您自己知道的新密码。',
  '教师也可用本人身份证号或登记的手机号代替用户名登录。',
];

/** What the login page's 忘记密码 shows. */
export async function passwordHelp(config: Pick<Config, 'smsGatewayModule'>) {
  const gateway = await smsGateway(config).catch(() => null);
  return { steps: PASSWORD_HELP_TEXT, sms: gateway !== null };
}
