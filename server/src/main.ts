import { mkdirSync } from 'node:fs';
import { ConfigError, loadConfig, publicBaseUrl } from './config.js';
import { openDb } from './db/db.js';
import { migrate } from './db/migrate.js';
import { buildApp } from './app.js';
import { buildContext } from './platform/context.js';
import { seedDemo, isSeeded } from './demo/seed.js';
import { attachDemoPolicies, syncSeedPolicies } from './modules/policies/policies.service.js';
import { runCheck, runVerify } from './modules/compliance/compliance.cli.js';
import { startSnapshotRefresh } from './modules/compliance/compliance.service.js';
import { startDeadlineReminders } from './modules/notifications/deadline-reminders.js';
import { startImportBatchPurge } from './modules/teachers/teachers.import.js';
import { startSlipPurge } from './modules/accounts/slips.js';
import { startMoveJob } from './modules/moves/moves.service.js';
import { startSessionReminders } from './modules/projects/session-reminders.js';
import { startPlanReminders } from './modules/plans/plans.reminders.js';
import { startEthicsEscalation } from './modules/ethics-reports/ethics-escalation.js';
import { startAuditSealer, verifyAuditChain } from './modules/audit/audit-chain.js';
import { startIpFailurePurge } from './modules/auth/lockout.js';
import { encryptLegacyFiles } from './platform/files.js';

const [cmd = 'start', ...args] = process.argv.slice(2);

async function main(): Promise<void> {
  // `start --demo` (what `npm start` runs): demo data on this machine only, unless the environment says otherwise.
  // A bare `start` is a deployment: no demo, and the demo secret only on a loopback address.
  const config = loadConfig(args.includes('--demo') ? { DEMO: '1', ...process.env } : process.env);
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrate(db);
  if (applied.length) console.log(`已应用迁移: ${applied.join(', ')}`);
  const ctx = buildContext(config, db);
  // The policy files of policies/ are data: load new ones (and new versions) on every start.
  for (const r of await syncSeedPolicies(db))
    if (r.action === 'invalid' || r.action === 'edited')
      console.error(`政策文件 ${r.file} ${r.action === 'invalid' ? '无效' : '未载入'}：${r.errors.map((e) => e.message).join('；')}`);

  switch (cmd) {
    case 'migrate':
      await db.close();
      return;
    case 'seed-demo': {
      // seed-demo [教师数] [--seed N] [--years N] [--as-of YYYY-MM-DD]
      const o = demoArgs(args);
      await seedDemo(ctx, { teachers: o.size ?? config.demoSize, seed: o.seed, years: o.years, asOf: o.asOf, log: console.log });
      await attachDemoPolicies(db);
      await db.close();
      return;
    }
    case 'bench-data': {
      // bench-data <教师数> [--years 5] [--density 2.8] [--seed N] [--teachers-only]: benchmark volumes, e.g. 50000 --years 5 ≈ 15M ledger rows.
      const o = demoArgs(args);
      if (!o.size) throw new Error('用法: bench-data <教师数> [--years 5] [--density 2.8] [--seed N] [--teachers-only]');
      await seedDemo(ctx, {
        teachers: o.size,
        seed: o.seed,
        years: o.years ?? 5,
        density: o.density ?? 2.8,
        asOf: o.asOf,
        teachersOnly: o.teachersOnly,
        log: console.log,
      });
      await attachDemoPolicies(db);
      await db.close();
      return;
    }
    case 'start': {
      if (config.demo && !(await isSeeded(db))) {
        console.log(`首次启动：正在生成演示数据（约 ${config.demoSize} 名教师），请稍候…`);
        await seedDemo(ctx, { teachers: config.demoSize, log: console.log });
      }
      if (config.demo) await attachDemoPolicies(db);
      const app = await buildApp(ctx, { logger: true });
      // Daily 达标期限 reminders (7 days before a rule's deadline), in this process.
      const stopReminders = startDeadlineReminders(ctx, (msg, err) => (err ? app.log.error({ err }, msg) : app.log.info(msg)));
      // Uncommitted import batches (encrypted personal data) go after 24 h: shortly after start, then daily.
      const stopPurge = startImportBatchPurge(ctx, (msg, err) => (err ? app.log.error({ err }, msg) : app.log.info(msg)));
      // 账号单 (initial passwords, encrypted) go 24 h after they were made: hourly.
      const stopSlipPurge = startSlipPurge(ctx, (msg, err) => (err ? app.log.error({ err }, msg) : app.log.info(msg)));
      // 人员变动 approved for a later date take effect on it: shortly after start, then daily.
      const stopMoveJob = startMoveJob(ctx, (msg, err) => (err ? app.log.error({ err }, msg) : app.log.info(msg)));
      // 开课提醒: enrolled teachers hear of a session the day before it starts (hourly, once per session and teacher).
      const stopSessionReminders = startSessionReminders(ctx, (msg, err) => (err ? app.log.error({ err }, msg) : app.log.info(msg)));
      // 师德举报: reports past their 受理/办结 deadline go to the bureau above (daily, once per report).
      const stopEthicsEscalation = startEthicsEscalation(ctx, (msg, err) => (err ? app.log.error({ err }, msg) : app.log.info(msg)));
      // The audit log's hash chain: seal new rows every few seconds.
      const stopSealer = startAuditSealer(db, config.secret, (err) => app.log.error({ err }, '审计日志封存失败'));
      // 年度计划报送提醒 (issue 14 item 5): units that have not filed, on the policy's reminder days (daily).
      const stopPlanReminders = startPlanReminders(ctx, (msg, err) => (err ? app.log.error({ err }, msg) : app.log.info(msg)));
      const stopIpPurge = startIpFailurePurge(db, (err) => app.log.error({ err }, '清理登录失败地址记录失败'));
      let stopSnapshots = () => {};
      const close = async () => {
        stopReminders();
        stopPurge();
        stopSlipPurge();
        stopMoveJob();
        stopSessionReminders();
        stopEthicsEscalation();
        stopSealer();
        stopIpPurge();
        stopPlanReminders();
        stopSnapshots();
        await app.close();
        await db.close();
        process.exit(0);
      };
      process.on('SIGINT', close);
      process.on('SIGTERM', close);
      await app.listen({ port: config.port, host: config.host });
      console.log(`强师 Qiangshi 已启动: ${publicBaseUrl(config)}  (监听 ${config.host}:${config.port}，数据库: ${db.kind}${config.demo ? '，演示模式' : ''})`);
      // Keep the dashboards' opening summaries computed and current in the background (first paint reads a stored one).
      stopSnapshots = startSnapshotRefresh(ctx, (err) => app.log.error({ err }, '合规汇总预计算失败'));
      return;
    }
    case 'check': {
      // check --policy policies/<文件> [--org <组织代码>] [--as-of YYYY-MM-DD] [--json]
      const code = await runCheck(db, args);
      await db.close();
      process.exit(code);
    }
    case 'verify': {
      // verify: the per-year hour roll-ups equal a recomputation from the ledger
      const code = await runVerify(db);
      await db.close();
      process.exit(code);
    }
    case 'encrypt-files': {
      // encrypt-files: seal the uploaded files stored before encryption at rest (migration 0031); safe to repeat.
      const r = await encryptLegacyFiles(ctx, console.error);
      await db.close();
      console.log(`已加密 ${r.encrypted} 个旧文件${r.skipped ? `，${r.skipped} 个未能加密（见上）` : ''}`);
      process.exit(r.skipped ? 1 : 0);
    }
    case 'verify-audit': {
      // verify-audit: the audit log's hash chain is intact (seals new rows first); exit 1 at the first altered or missing row
      const r = await verifyAuditChain(db, config.secret);
      await db.close();
      if (r.ok) {
        console.log(`审计日志完整：已校验 ${r.checked} 条（第 ${r.firstSeq ?? 0}–${r.head.seq} 条），链尾校验值 ${r.head.hash.slice(0, 16)}…`);
        process.exit(0);
      }
      console.error(`审计日志校验失败：发现 ${r.problemCount} 处问题。第一处：${r.problems[0].message}`);
      for (const p of r.problems.slice(1, 20)) console.error(`  · ${p.message}`);
      process.exit(1);
    }
    default:
      console.error(
        `未知命令: ${cmd}。可用: start | migrate | seed-demo [教师数] | bench-data <教师数> | check --policy <文件> | verify | verify-audit | encrypt-files`,
      );
      process.exit(2);
  }
}

/** Options of the seed-demo and bench-data commands: a positional size and --flags with numbers. */
function demoArgs(args: string[]): { size?: number; seed?: number; years?: number; density?: number; asOf?: string; teachersOnly: boolean } {
  const num = (flag: string) => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = Number(args[i + 1]);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${flag} 需要一个正数`);
    return v;
  };
  const positional = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--') || args[i - 1] === '--teachers-only'));
  return {
    size: positional === undefined ? undefined : Number(positional.replace(/_/g, '')),
    seed: num('--seed'),
    years: num('--years'),
    density: num('--density'),
    // The demo's "today" (default: today): the same seed and date give the same data.
    asOf: args.includes('--as-of') ? args[args.indexOf('--as-of') + 1] : undefined,
    teachersOnly: args.includes('--teachers-only'),
  };
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? `配置错误 / configuration refused:\n${err.message}` : err);
  process.exit(1);
});
