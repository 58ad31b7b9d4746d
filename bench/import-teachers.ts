/**
 * Teacher Excel import benchmark.
 *
 *   npx tsx bench/import-teachers.ts [rows=100000] [--pg] [--repeat N]
 *
 * Generates an .xlsx of valid teachers (the shape of the import template, shared strings as Excel
 * writes them), then in the same run measures
 *   floor: exceljs' streaming reader over the file + a bare COPY (PostgreSQL) / multi-row INSERT
 *          (PGlite) of the same cell values into a scratch table;
 *   ours:  previewImport + commitImport through the service on a fresh database
 *          (validation, label mapping, encryption, batch storage, bulk insert, roles, history, audit).
 * ratio = our seconds ÷ floor seconds; with --repeat, floor and ours alternate N times and the
 * medians are compared (on a shared machine a neighbour's burst then does not land on one side only). Database: DATABASE_URL if set; --pg starts a throwaway
 * PostgreSQL cluster from the local binaries; otherwise PGlite in memory.
 * Writes bench/results/import-teachers.json (PostgreSQL) or import-teachers-pglite.json, and the
 * '## Teacher import' section of BENCHMARKS.md.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../server/src/config.js';
import { isPgDb, type Db } from '../server/src/db/db.js';
import { makeNationalId } from '../server/src/demo/national-ids.js';
import type { CurrentUser } from '../server/src/platform/access.js';
import { buildContext } from '../server/src/platform/context.js';
import { insertOrg } from '../server/src/modules/orgs/orgs.repository.js';
import { insertUser } from '../server/src/modules/users/users.repository.js';
import { IMPORT_COLUMNS } from '../server/src/modules/teachers/teachers.import-columns.js';
import { commitImport, previewImport } from '../server/src/modules/teachers/teachers.import.js';
import { inspectXlsxZip } from '../server/src/platform/excel.js';
import { freshDatabase, startThrowawayPg } from '../test/pg-cluster.js';
import { writeResultLine } from './benchmarks-md.js';

const args = process.argv.slice(2);
const repeatAt = args.indexOf('--repeat');
const REPEAT = repeatAt >= 0 ? Math.max(1, Number(args[repeatAt + 1]) || 1) : 1;
const ROWS = Number(args.find((a, i) => /^\d+$/.test(a) && !(repeatAt >= 0 && i === repeatAt + 1)) ?? 100_000);
const START_PG = args.includes('--pg');
const SCHOOLS = 60;

// ---------------------------------------------------------------------------------------------
// The file

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽';
const STAGE_BY_SCHOOL = ['小学', '初中', '高中', '小学', '幼儿园', '中职'];
const SUBJECT_SETS = ['语文', '数学', '英语', '语文、道德与法治', '数学、科学', '物理', '化学', '体育', '音乐', '美术', '信息技术', '心理健康'];
const TITLES = ['未定级', '三级教师', '二级教师', '一级教师', '高级教师'];
const EDU = ['专科', '本科', '本科', '研究生(硕士)'];

function teacherRow(i: number): Record<string, unknown> {
  const gender = i % 2 ? 'male' : 'female';
  const day = i % 12000;
  const birth = new Date(Date.UTC(1965, 0, 1) + day * 86400000).toISOString().slice(0, 10);
  const nationalId = makeNationalId('150102', birth, Math.floor(i / 12000) * 2 + (gender === 'male' ? 1 : 0), gender);
  const school = i % SCHOOLS;
  const homeroom = i % 3 === 0;
  const hireYear = Math.min(2023, Number(birth.slice(0, 4)) + 22 + (i % 4));
  return {
    姓名: SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length] + (i % 5 ? GIVEN[(i * 13) % GIVEN.length] : ''),
    身份证号: nationalId,
    手机号: `13${String(100000000 + ((i * 7919) % 900000000)).padStart(9, '0')}`,
    学校: `基准学校${school + 1}`,
    学段: STAGE_BY_SCHOOL[school % STAGE_BY_SCHOOL.length],
    任教学科: SUBJECT_SETS[i % SUBJECT_SETS.length],
    聘用方式: i % 7 ? '在编' : '非在编',
    入职日期: `${hireYear}-09-01`,
    学历: EDU[i % EDU.length],
    职称: TITLES[i % TITLES.length],
    职称取得日期: i % 5 ? `${hireYear + 5}/9/1` : null,
    教师资格证种类: '教师资格',
    资格证学段: STAGE_BY_SCHOOL[school % STAGE_BY_SCHOOL.length],
    资格证学科: SUBJECT_SETS[i % SUBJECT_SETS.length].split('、')[0],
    资格证编号: `${hireYear}150${String(i).padStart(8, '0')}`,
    资格证有效期: i % 4 ? `${2026 + (i % 5)}年8月31日` : null,
    普通话等级: i % 2 ? '二级甲等' : '二级乙等',
    其他证书: i % 50 === 0 ? '国家二级心理咨询师' : null,
    岗位角色: homeroom ? (i % 30 === 0 ? '班主任、兼职心理健康教师' : '班主任') : null,
    班主任起始日期: homeroom ? `${Math.max(hireYear, 2015)}-09-01` : null,
    骨干级别: i % 20 === 0 ? '县级' : null,
    骨干类别: i % 20 === 0 ? '骨干教师' : null,
    党员: i % 3 ? '否' : '是',
  };
}

async function generateFile(path: string, rows: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('教师信息');
  const headers = IMPORT_COLUMNS.map((c) => c.header);
  ws.columns = headers.map((h) => ({ header: h, key: h, style: h === '身份证号' ? { numFmt: '@' } : {} }));
  for (let i = 0; i < rows; i++) ws.addRow(headers.map((h) => teacherRow(i)[h] ?? null)).commit();
  ws.commit();
  await wb.commit();
}

// ---------------------------------------------------------------------------------------------
// Floor

async function readWithExceljs(buf: Buffer): Promise<string[][]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), {
    sharedStrings: 'cache',
    styles: 'ignore',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const out: string[][] = [];
  for await (const sheet of reader) {
    for await (const row of sheet) {
      if (row.number === 1) continue;
      const v = row.values as unknown[];
      const cells: string[] = [];
      for (let i = 1; i <= IMPORT_COLUMNS.length; i++) cells.push(v[i] === undefined || v[i] === null ? '' : String(v[i]));
      out.push(cells);
    }
    break;
  }
  return out;
}

const SCRATCH = `CREATE TABLE scratch (${IMPORT_COLUMNS.map((_, i) => `c${i} text`).join(', ')})`;

async function bareLoad(db: Db, rows: string[][]): Promise<void> {
  await db.exec(SCRATCH);
  if (isPgDb(db)) {
    const client = await db.rawPool.connect();
    try {
      const esc = (s: string) => s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
      const lines = (function* () {
        for (let i = 0; i < rows.length; i += 1000)
          yield rows
            .slice(i, i + 1000)
            .map((r) => `${r.map(esc).join('\t')}\n`)
            .join('');
      })();
      await pipeline(Readable.from(lines), client.query(copyFrom('COPY scratch FROM STDIN')));
    } finally {
      client.release();
    }
    return;
  }
  const n = IMPORT_COLUMNS.length;
  const per = Math.floor(60000 / n);
  await db.tx(async (q) => {
    for (let i = 0; i < rows.length; i += per) {
      const part = rows.slice(i, i + per);
      const values = part.map((_, r) => `(${Array.from({ length: n }, (_, c) => `$${r * n + c + 1}`).join(',')})`).join(',');
      await q.query(`INSERT INTO scratch VALUES ${values}`, part.flat());
    }
  });
}

// ---------------------------------------------------------------------------------------------

async function seed(db: Db): Promise<CurrentUser> {
  const city = await insertOrg(db, { code: 'B-CITY', name: '基准市教育局', level: 'city', kind: 'bureau', parentId: null });
  for (let c = 0; c < 6; c++) {
    const county = await insertOrg(db, { code: `B-C${c}`, name: `基准县${c + 1}`, level: 'county', kind: 'bureau', parentId: city.id });
    for (let s = c; s < SCHOOLS; s += 6)
      await insertOrg(db, { code: `B-S${s + 1}`, name: `基准学校${s + 1}`, level: 'school', kind: 'school', stage: 'primary', parentId: county.id });
  }
  const id = await insertUser(db, { username: 'bench.admin', passwordHash: 'x', displayName: '基准管理员', role: 'bureauAdmin', orgId: city.id });
  return {
    id,
    username: 'bench.admin',
    displayName: '基准管理员',
    role: 'bureauAdmin',
    orgId: city.id,
    orgPath: city.path,
    orgName: '基准市教育局',
    orgLevel: 'city',
    teacherId: null,
    scopePath: city.path,
    roleId: 0,
    mustChangePassword: false,
  };
}

const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/**
 * CPU seconds used so far by this process plus, when we started the cluster, by every PostgreSQL
 * process of it (the postmaster's cutime/cstime include exited backends). On a shared machine the
 * CPU ratio is steadier than the wall-clock one, which neighbours' bursts can skew either way.
 */
function cpuSeconds(postmasterPid: number | null): { node: number; pg: number } {
  const u = process.cpuUsage();
  let pg = 0;
  if (postmasterPid) {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const st = readFileSync(`/proc/${d}/stat`, 'utf8');
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        const pid = Number(d);
        if (pid === postmasterPid) pg += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
        else if (Number(f[1]) === postmasterPid) pg += (Number(f[11]) + Number(f[12])) / 100;
      } catch {
        // the process ended between readdir and read
      }
    }
  }
  return { node: (u.user + u.system) / 1e6, pg };
}
const cpuSince = (c0: { node: number; pg: number }, pmPid: number | null) => {
  const c = cpuSeconds(pmPid);
  return { node: c.node - c0.node, pg: c.pg - c0.pg, total: c.node - c0.node + c.pg - c0.pg };
};
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function main() {
  const pgServer = START_PG && !process.env.DATABASE_URL ? startThrowawayPg({ durable: true, prefix: 'qs-bench-pg-' }) : null;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void (pgServer?.stop() ?? Promise.resolve()).finally(() => process.exit(130)));
  const adminUrl = process.env.DATABASE_URL ?? pgServer?.url;
  const engine = adminUrl ? 'PostgreSQL' : 'PGlite';
  try {
    const dir = mkdtempSync(join(tmpdir(), 'qs-bench-import-'));
    const path = join(dir, 'teachers.xlsx');
    let t0 = process.hrtime.bigint();
    await generateFile(path, ROWS);
    const buf = readFileSync(path);
    console.log(`generated ${ROWS} rows, ${(buf.length / 1048576).toFixed(1)} MB in ${secs(t0).toFixed(1)} s`);

    // The floor reads the same entries in the order our reader hands them to exceljs (workbook parts
    // before sheets), so exceljs streams instead of spooling sheets to temp files: the fastest exceljs read.
    const floorInput = inspectXlsxZip(buf).reordered();
    const floorRuns: { read: number; load: number; total: number; cpu: { node: number; pg: number; total: number } }[] = [];
    const ourRuns: { preview: number; commit: number; total: number; cpu: { node: number; pg: number; total: number } }[] = [];
    const pmPid = pgServer?.postmasterPid ?? null;
    let againS = 0;
    for (let rep = 0; rep < REPEAT; rep++) {
      // Floor
      const floorDb = await freshDatabase(adminUrl);
      let c0 = cpuSeconds(pmPid);
      t0 = process.hrtime.bigint();
      const cells = await readWithExceljs(floorInput);
      const readS = secs(t0);
      t0 = process.hrtime.bigint();
      await bareLoad(floorDb.db, cells);
      const loadS = secs(t0);
      const floorCpu = cpuSince(c0, pmPid);
      if (cells.length !== ROWS) throw new Error(`floor read ${cells.length} rows`);
      await floorDb.drop();
      floorRuns.push({ read: readS, load: loadS, total: readS + loadS, cpu: floorCpu });
      console.log(`floor: read ${readS.toFixed(2)} s + ${adminUrl ? 'COPY' : 'INSERT'} ${loadS.toFixed(2)} s = ${(readS + loadS).toFixed(2)} s`);

      // Ours
      const { db, drop } = await freshDatabase(adminUrl);
      const ctx = buildContext(loadConfig({ NODE_ENV: 'bench', DEMO: '0', DATA_DIR: join(dir, 'data') }), db);
      const user = await seed(db);
      c0 = cpuSeconds(pmPid);
      t0 = process.hrtime.bigint();
      const preview = await previewImport(ctx, user, { buffer: buf, fileName: 'teachers.xlsx' });
      const previewS = secs(t0);
      if (preview.counts.create !== ROWS) throw new Error(`preview: ${JSON.stringify(preview.counts)} ${JSON.stringify(preview.errors.slice(0, 3))}`);
      t0 = process.hrtime.bigint();
      const result = await commitImport(ctx, user, preview.batchId, 'all');
      const commitS = secs(t0);
      const ourCpu = cpuSince(c0, pmPid);
      if (result.created !== ROWS) throw new Error(`commit: ${JSON.stringify(result)}`);
      ourRuns.push({ preview: previewS, commit: commitS, total: previewS + commitS, cpu: ourCpu });
      console.log(`ours: preview ${previewS.toFixed(2)} s + commit ${commitS.toFixed(2)} s = ${(previewS + commitS).toFixed(2)} s`);

      if (rep === REPEAT - 1) {
        // The same file again: every row unchanged, nothing written.
        t0 = process.hrtime.bigint();
        const again = await previewImport(ctx, user, { buffer: buf, fileName: 'teachers.xlsx' });
        const res2 = await commitImport(ctx, user, again.batchId, 'all');
        againS = secs(t0);
        if (res2.unchanged !== ROWS) throw new Error(`re-import: ${JSON.stringify(res2)}`);
        const check = await db.query<{ t: number; c: number }>(
          'SELECT (SELECT count(*) FROM teachers)::int AS t, (SELECT count(*) FROM teacher_changes)::int AS c',
        );
        console.log(`re-import of the same file: ${againS.toFixed(2)} s, all ${ROWS} unchanged; teachers ${check.rows[0].t}, history rows ${check.rows[0].c}`);
      }
      await drop();
    }
    rmSync(dir, { recursive: true, force: true });

    const median = <T>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)];
    const f = median(floorRuns, (x) => x.total);
    const o = median(ourRuns, (x) => x.total);
    const [floor, readS, loadS] = [f.total, f.read, f.load];
    const [ours, previewS, commitS] = [o.total, o.preview, o.commit];
    const cpuOurs = median(ourRuns, (x) => x.cpu.total).cpu;
    const cpuFloor = median(floorRuns, (x) => x.cpu.total).cpu;
    const split = (c: { node: number; pg: number }) => (pmPid ? ` (Node ${round(c.node, 1)} + PostgreSQL ${round(c.pg, 1)})` : '');
    const cpuNote = ` CPU seconds: ours ${round(cpuOurs.total, 1)}${split(cpuOurs)} vs floor ${round(cpuFloor.total, 1)}${split(cpuFloor)} → CPU ratio ${round(cpuOurs.total / cpuFloor.total)}.`;
    console.log(cpuNote.trim());
    const samples =
      REPEAT > 1
        ? ` Medians of ${REPEAT} alternating runs (floor ${floorRuns.map((x) => round(x.total, 1)).join('/')} s, ours ${ourRuns.map((x) => round(x.total, 1)).join('/')} s).`
        : '';
    const ratio = ours / floor;
    const date = new Date().toISOString().slice(0, 10);
    const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
    const notes =
      `${engine}; file ${(buf.length / 1048576).toFixed(1)} MB (${IMPORT_COLUMNS.length} columns, shared strings). ` +
      `Ours ${Math.round(ROWS / ours)} rows/s (preview ${round(previewS)} s + commit ${round(commitS)} s); ` +
      `floor ${Math.round(ROWS / floor)} rows/s (exceljs streaming read ${round(readS)} s, workbook parts first as ours + bare ${adminUrl ? 'COPY' : 'multi-row INSERT'} ${round(loadS)} s of the same cells into a scratch table). ` +
      `Re-importing the same file: ${round(againS)} s, ${ROWS} unchanged, nothing written.${cpuNote}${samples} ${machine}, load average ${loadavg()[0].toFixed(1)} at the end.`;
    const record = {
      name: adminUrl ? 'import-teachers' : 'import-teachers-pglite',
      date,
      scale: `${ROWS} teachers`,
      value: round(ours),
      unit: 's',
      floor: round(floor),
      ratio: round(ratio),
      notes,
    };
    const resultsDir = join(process.cwd(), 'bench', 'results');
    writeFileSync(join(resultsDir, `${record.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
    console.log(JSON.stringify(record, null, 2));
    updateBenchmarksMd(record, engine);
  } finally {
    await pgServer?.stop();
  }
}

/** Keep one line per engine under '## Teacher import' in BENCHMARKS.md; other sections are left alone. */
function updateBenchmarksMd(r: { date: string; scale: string; value: number; floor: number; ratio: number; notes: string }, engine: string) {
  const heading = '## Teacher import';
  const intro =
    "Preview + commit of an .xlsx of valid teachers through the import service (parse, label mapping, validation with the form's schema, " +
    'encryption, batch storage, bulk insert with roles, change history and audit) on a fresh database, against a floor measured in the same run: ' +
    "exceljs' streaming read of the same file plus a bare COPY / multi-row INSERT of its cells. " +
    'CPU seconds (Node + the PostgreSQL cluster) are reported too: on a shared machine they are steadier than wall time. ' +
    '`npx tsx bench/import-teachers.ts [rows] [--pg] [--repeat N]`.';
  const line = `- ${engine}, ${r.scale}, ${r.date}: **${r.value} s** vs floor ${r.floor} s → ratio **${r.ratio}**. ${r.notes}`;
  writeResultLine(heading, intro, engine, line);
}

await main();
