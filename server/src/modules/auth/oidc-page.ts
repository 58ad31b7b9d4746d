import type { OidcFailure } from './oidc.service.js';

/**
 * The page a browser sees when a sign-in through 统一身份认证 gives no session: what happened and what to do,
 * in Chinese, with the way back to the login page. Self-contained HTML (the browser arrives here from the
 * provider, not from the app).
 */
const PAGES: Record<OidcFailure, { status: number; title: string; text: string }> = {
  disabled: { status: 409, title: '未启用统一身份认证', text: '本平台未启用统一身份认证登录，请使用账号和密码登录。' },
  unavailable: { status: 503, title: '暂时无法连接统一身份认证服务', text: '请稍后再试，或使用账号和密码登录。' },
  state: {
    status: 400,
    title: '登录请求已失效',
    text: '这个登录请求已经使用过、已超过 10 分钟，或不是从本浏览器发起的。请回到登录页，重新点击统一身份认证登录。',
  },
  provider: { status: 400, title: '统一身份认证未完成', text: '身份认证服务没有完成这次登录。请回到登录页重试，或使用账号和密码登录。' },
  claim: {
    status: 400,
    title: '无法确认您的账号',
    text: '统一身份认证没有提供有效的身份证号或手机号，本平台无法找到对应的账号。请联系本单位系统管理员。',
  },
  unmatched: {
    status: 403,
    title: '本平台没有与您对应的账号',
    text: '统一身份认证已确认您的身份，但本平台没有登记与之对应的账号。请联系本单位系统管理员为您开通账号，或核对本平台登记的身份证号、手机号是否与统一身份认证一致。',
  },
  ambiguous: {
    status: 403,
    title: '对应多个账号',
    text: '您的手机号在本平台对应多个账号，无法确定要登录哪一个。请使用用户名或身份证号和密码登录，或联系本单位系统管理员。',
  },
  inactive: { status: 403, title: '账号已停用', text: '您在本平台的账号已停用，不能登录。如有疑问，请联系本单位系统管理员。' },
  norole: { status: 403, title: '账号没有可用的角色', text: '您的账号目前没有可用的角色（例如已调离或离岗）。请联系本单位系统管理员。' },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function oidcFailurePage(reason: OidcFailure): { status: number; html: string } {
  const p = PAGES[reason];
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)} - 强师</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#f5f5f5;margin:0}
main{max-width:480px;margin:12vh auto;background:#fff;border-radius:8px;padding:32px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:20px;margin:0 0 16px}p{line-height:1.7;color:#333}a{color:#1677ff}</style></head>
<body><main data-reason="${reason}"><h1>${escapeHtml(p.title)}</h1><p>${escapeHtml(p.text)}</p>
<p><a href="/login">返回登录页</a></p></main></body></html>`;
  return { status: p.status, html };
}
