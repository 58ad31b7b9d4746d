/**
 * `npm run check -- --policy policies/<file> [--org <code>] [--as-of <date>] [--json]`: validate a
 * policy file and print the same summary the dashboard shows. `verify`: check the hour roll-ups
 * against a recomputation from the ledger.
 */
import { readFileSync } from 'node:fs';
import type { Db } from '../../db/db.js';
import { PROJECT_FORMS } from '../../platform/vocab.js';
import { RULE_KINDS } from '../policies/policy.format.js';
import { citeLabel } from '../policies/policy.cite.js';
import { loadPolicy } from '../policies/policy.loader.js';
import { STATUS_LABELS } from '../policies/policy.evaluate.js';
import * as repo from './compliance.repository.js';
import { summarizePolicy, type SummaryDto } from './compliance.service.js';
import type { Totals } from './compliance.summary.js';
import { todayInChina } from '../../platform/china-time.js';

const pct = (x: number | null) => (x === null ? '—' : `${(Math.round(x * 1000) / 10).toFixed(1)}%`);

/** '达标率（已到期）80%（8/10）；已达标 12，未达标 2，临期 3，进行中 20（落后进度 5）'. */
export function totalsText(t: Totals): string {
  const L = STATUS_LABELS;
  const head = t.due ? `达标率（已到期）${pct(t.share)}（${t.compliantDue}/${t.due}）` : '达标率（已到期）—（尚无到期）';
  const parts = [`${L.compliant} ${t.compliant}`];
  if (t.overdue) parts.push(`${L.overdue} ${t.overdue}`);
  if (t.dueSoon) parts.push(`${L.dueSoon} ${t.dueSoon}`);
  if (t.inProgress) parts.push(`${L.inProgress} ${t.inProgress}${t.behindPace ? `（落后进度 ${t.behindPace}）` : ''}`);
  if (t.noData) parts.push(`${L.noData} ${t.noData}`);
  if (t.notApplicable) parts.push(`${L.notApplicable} ${t.notApplicable}`);
  return `${head}；${parts.join('，')}`;
}

const STATE = { notStarted: '尚未实施', active: '实施中', ended: '已到期（按实施期末评估）' } as const;

/** The dashboard summary as plain text, one block per rule. */
export function formatSummary(s: SummaryDto): string {
  const lines: string[] = [];
  lines.push(`政策：${s.policy.title}（${s.policy.key} 第 ${s.policy.version} 版）`);
  lines.push(
    `单位：${s.org.name}（${s.org.code}）  截至：${s.asOf}  政策状态：${STATE[s.policyState]}${s.evaluatedOn !== s.asOf ? `，按 ${s.evaluatedOn} 评估` : ''}`,
  );
  if (s.teachers.evaluated)
    lines.push(
      `教师：参与评估 ${s.teachers.evaluated} 人，全部规则达标 ${s.teachers.compliantAll} 人（${pct(s.teachers.share)}），有逾期未达标要求 ${s.teachers.overdue} 人`,
    );
  lines.push('');
  for (const r of s.rules) {
    lines.push(`[${RULE_KINDS[r.kind]}] ${r.id}  ${r.title}`);
    if (r.result) lines.push(`    ${STATUS_LABELS[r.result.status]}：${r.result.explanation}`);
    else lines.push(`    ${totalsText(r.totals)}`);
    if (r.atLeast === null && r.openFigure) lines.push(`    原文未给出数字：${r.openFigure}`);
    const kids = s.children
      .filter((c) => c.type === 'org')
      .map((c) => {
        const org = c as Extract<SummaryDto['children'][number], { type: 'org' }>;
        const res = org.results[r.id];
        const t = org.totals[r.id];
        if (res) return `${org.name} ${STATUS_LABELS[res.status]}`;
        return t
          ? `${org.name} ${pct(t.share)}${t.dueSoon + t.inProgress ? `（${STATUS_LABELS.dueSoon}/${STATUS_LABELS.inProgress} ${t.dueSoon + t.inProgress}）` : ''}`
          : null;
      })
      .filter(Boolean);
    if (kids.length) lines.push(`    下级：${kids.join('｜')}`);
    for (const f of r.failing.slice(0, 5)) lines.push(`    · ${f.name}【${STATUS_LABELS[f.status]}】：${f.explanation}`);
    if (r.failing.length > 5) lines.push(`    · ……另有 ${r.failing.length - 5} 个`);
    lines.push(`    出处：${citeLabel(r.cite)}「${r.cite.text}」`);
  }
  lines.push('');
  lines.push(`用时 ${s.durationMs} ms`);
  return lines.join('\n');
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Run the check command; returns the process exit code (0 ok, 1 invalid policy, 2 usage/org). */
export async function runCheck(db: Db, args: string[], out: (s: string) => void = console.log): Promise<number> {
  const file = flag(args, '--policy');
  if (!file) {
    out('用法: npm run check -- --policy policies/<文件> [--org <组织代码>] [--as-of YYYY-MM-DD] [--json]');
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    out(`无法读取文件：${file}`);
    return 2;
  }
  const loaded = loadPolicy(text);
  if (!loaded.ok) {
    out(`${file}：发现 ${loaded.errors.length} 处错误`);
    for (const e of loaded.errors) out(`${file}:${e.line}:${e.column}  ${e.message}`);
    return 1;
  }
  const policy = loaded.policy;
  const asOf = flag(args, '--as-of') ?? todayInChina();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) {
    out(`--as-of 日期格式应为 YYYY-MM-DD：${asOf}`);
    return 2;
  }
  const code = flag(args, '--org') ?? policy.appliesTo.org;
  if (!code) {
    out('该政策未写明适用组织（appliesTo.org），请用 --org <组织代码> 指定');
    return 2;
  }
  const org = (await db.query<{ path: string }>('SELECT path FROM orgs WHERE code = $1', [code])).rows[0];
  if (!org) {
    const tops = (
      await db.query<{ code: string; name: string }>(
        `SELECT code, name FROM orgs WHERE level IN ('province','city','county') AND kind = 'bureau' ORDER BY path LIMIT 12`,
      )
    ).rows;
    out(
      `找不到组织代码 ${code}。${tops.length ? `可用的组织代码例如：${tops.map((t) => `${t.code}（${t.name}）`).join('、')}` : '数据库中还没有组织，请先运行 npm run seed-demo'}`,
    );
    return 2;
  }
  const display = (await repo.loadOrgs(db, org.path))[0];
  // The file is evaluated as if attached to the chosen org (nothing is written except the run record).
  const s = await summarizePolicy(
    db,
    { id: 0, key: policy.policy, version: policy.version, versionId: 0, policy, attachments: [{ org_path: display.path } as never] },
    display,
    asOf,
  );
  out(args.includes('--json') ? JSON.stringify(s, null, 2) : formatSummary(s));
  return 0;
}

/** Compare the per-year hour roll-ups with a fresh GROUP BY over the ledger. */
export async function runVerify(db: Db, out: (s: string) => void = console.log): Promise<number> {
  const started = performance.now();
  const diffs = await repo.rollupDifferences(db, 20);
  const stats = await repo.rollupStats(db);
  const ms = Math.round(performance.now() - started);
  if (!diffs.length) {
    out(`学时汇总校验通过：${stats.rollupRows} 条年度汇总与 ${stats.ledgerRows} 条台账记录重新计算的结果一致（${ms} ms）`);
    return 0;
  }
  out(`学时汇总校验失败：发现不一致（最多列出 20 条）`);
  for (const d of diffs)
    out(
      `  教师 ${d.teacher_id} ${d.year} 年${d.form ? ` ${PROJECT_FORMS[d.form as keyof typeof PROJECT_FORMS] ?? d.form}` : ''} ${d.category}：汇总 ${d.rollup ?? '无'}，台账 ${d.ledger ?? '无'}`,
    );
  return 1;
}
