import { mkdirSync } from 'node:fs';
import { loadConfig } from './config.js';
import { openDb } from './db/db.js';
import { migrate } from './db/migrate.js';
import { buildApp } from './app.js';
import { buildContext } from './platform/context.js';
import { seedDemo, isSeeded } from './demo/seed.js';
import { attachDemoPolicies, syncSeedPolicies } from './modules/policies/policies.service.js';
import { runCheck, runVerify } from './modules/compliance/compliance.cli.js';

const [cmd = 'start', ...args] = process.argv.slice(2);

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrate(db);
  if (applied.length) console.log(`已应用迁移: ${applied.join(', ')}`);
  const ctx = buildContext(config, db);
  // The policy files of policies/ are data: load new ones (and new versions) on every start.
  for (const r of await syncSeedPolicies(db)) if (r.action === 'invalid') console.error(`政策文件 ${r.file} 无效：${r.errors.map((e) => e.message).join('；')}`);

  switch (cmd) {
    case 'migrate':
      await db.close();
      return;
    case 'seed-demo': {
      const size = Number(args[0] ?? config.demoSize);
      await seedDemo(ctx, { teachers: size, log: console.log });
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
      const close = async () => {
        await app.close();
        await db.close();
        process.exit(0);
      };
      process.on('SIGINT', close);
      process.on('SIGTERM', close);
      await app.listen({ port: config.port, host: config.host });
      console.log(`强师 Qiangshi 已启动: http://localhost:${config.port}  (数据库: ${db.kind})`);
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
    default:
      console.error(`未知命令: ${cmd}。可用: start | migrate | seed-demo [教师数] | check --policy <文件> | verify`);
      process.exit(2);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
