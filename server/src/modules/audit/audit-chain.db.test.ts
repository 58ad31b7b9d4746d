import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../../../../test/harness.js';
import { audit } from '../../platform/audit.js';
import { type ChainProblem, sealAuditLog, sealHash, verifyAuditChain } from './audit-chain.js';

// The audit log proves itself (issue 9 item 5): a hash chain over the rows finds a row changed or removed in
// the database behind the application's back (done here with the protecting triggers disabled, as a DBA
// could), `npm run verify-audit` reports the first one; rows younger than 180 days can be neither updated
// nor deleted; and writers running at once still make one linear chain.

// One database for the file: each case writes its own rows and looks at the problems of those rows only
// (an earlier case's tampering stays in the log, as it would); the end-of-log case comes last.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** Write n rows of this case; their ids. */
async function rows(tag: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await audit(t.db, { id: 1000 + i, orgId: null }, `test.${tag}`, 'test', i, { i, note: `第 ${i} 条` }, `10.0.0.${i % 250}`);
  }
  const r = await t.db.query<{ id: number }>('SELECT id FROM audit_log WHERE action = $1 ORDER BY id', [`test.${tag}`]);
  out.push(...r.rows.map((x) => x.id));
  return out;
}

const secret = () => t.ctx.config.secret;
const seqOf = async (logId: number) => (await t.db.query<{ seq: number }>('SELECT seq FROM audit_seals WHERE log_id = $1', [logId])).rows[0].seq;
/** The problems of a verification that concern these rows (by row id or by position in the chain). */
async function problemsOf(logIds: number[]): Promise<ChainProblem[]> {
  const seqs = new Set<number>();
  const r = await t.db.query<{ seq: number }>('SELECT seq FROM audit_seals WHERE log_id = ANY($1::bigint[])', [logIds]);
  for (const x of r.rows) seqs.add(x.seq);
  const report = await verifyAuditChain(t.db, secret());
  return report.problems.filter((p) => (p.logId !== null && logIds.includes(p.logId)) || (p.seq !== null && seqs.has(p.seq)));
}
/** What a DBA with table rights could do: switch off the protecting triggers, tamper, switch them on again. */
async function behindTheBack(sql: string, params: unknown[] = []): Promise<void> {
  await t.db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_retention');
  await t.db.query('ALTER TABLE audit_seals DISABLE TRIGGER audit_seals_retention');
  try {
    await t.db.query(sql, params);
  } finally {
    await t.db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_retention');
    await t.db.query('ALTER TABLE audit_seals ENABLE TRIGGER audit_seals_retention');
  }
}

describe('hash chain', () => {
  it('writers running at once make one linear chain (200 writers, 5 sealers meanwhile) that verifies', async () => {
    const writers = Array.from({ length: 200 }, (_, i) =>
      t.db.tx(async (q) => {
        await q.query('SELECT 1');
        await audit(q, { id: i, orgId: null }, 'test.concurrent', 'test', i, { i });
      }),
    );
    const sealers = Array.from({ length: 5 }, () => sealAuditLog(t.db, secret()));
    await Promise.all([...writers, ...sealers]);
    const r = await verifyAuditChain(t.db, secret());
    expect(r).toMatchObject({ ok: true, firstSeq: 1, problems: [], problemCount: 0 });
    const n = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
    expect(r.checked).toBe(n);
    const seals = await t.db.query<{ n: number; min: number; max: number; rows: number }>(
      'SELECT count(*)::int AS n, min(seq)::int AS min, max(seq)::int AS max, count(DISTINCT log_id)::int AS rows FROM audit_seals',
    );
    expect(seals.rows[0]).toEqual({ n, min: 1, max: n, rows: n });
    // Sealing again adds nothing; a new row continues the chain.
    expect(await sealAuditLog(t.db, secret())).toBe(0);
    await audit(t.db, null, 'test.more', 'test', null);
    expect(await sealAuditLog(t.db, secret())).toBe(1);
    expect((await verifyAuditChain(t.db, secret())).ok).toBe(true);
  });

  it('finds a row changed by UPDATE (triggers disabled) and names it', async () => {
    const ids = await rows('update', 10);
    await sealAuditLog(t.db, secret());
    await behindTheBack(`UPDATE audit_log SET detail = '{"i": 7, "note": "改过了"}' WHERE id = $1`, [ids[7]]);
    const seq = await seqOf(ids[7]);
    const report = await verifyAuditChain(t.db, secret());
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toEqual({ kind: 'altered', seq, logId: ids[7], message: `第 ${seq} 条审计记录（编号 ${ids[7]}）的内容被修改` });
    expect(report.problemCount).toBe(1);
  });

  it('finds a changed time or address too (every column is covered)', async () => {
    const ids = await rows('columns', 4);
    await sealAuditLog(t.db, secret());
    await behindTheBack(`UPDATE audit_log SET at = at - interval '1 hour' WHERE id = $1`, [ids[1]]);
    await behindTheBack(`UPDATE audit_log SET ip = '1.2.3.4' WHERE id = $1`, [ids[2]]);
    expect((await problemsOf(ids)).map((p) => [p.kind, p.logId])).toEqual([
      ['altered', ids[1]],
      ['altered', ids[2]],
    ]);
  });

  it('a forged seal does not help without the server secret', async () => {
    const ids = await rows('forged', 4);
    await sealAuditLog(t.db, secret());
    const seal = (await t.db.query<{ seq: number; prev_hash: string }>('SELECT seq, prev_hash FROM audit_seals WHERE log_id = $1', [ids[1]])).rows[0];
    await behindTheBack(`UPDATE audit_log SET action = 'test.hidden' WHERE id = $1`, [ids[1]]);
    const forged = sealHash(Buffer.from('a guessed key'), seal.seq, seal.prev_hash, {
      id: ids[1],
      at: '',
      user_id: 1001,
      org_id: null,
      action: 'test.hidden',
      entity: 'test',
      entity_id: '1',
      detail: '{}',
      ip: null,
    });
    await behindTheBack('UPDATE audit_seals SET hash = $2 WHERE log_id = $1', [ids[1], forged]);
    expect((await problemsOf(ids)).map((p) => [p.kind, p.seq])).toEqual([
      ['altered', seal.seq],
      ['linkBroken', seal.seq + 1],
    ]);
  });

  it('finds a row removed by DELETE (triggers disabled), with its seal or without', async () => {
    const ids = await rows('delete', 10);
    await sealAuditLog(t.db, secret());
    const [seq2, seq6] = [await seqOf(ids[2]), await seqOf(ids[6])];
    // The row only: its seal stays behind.
    await behindTheBack('DELETE FROM audit_log WHERE id = $1', [ids[2]]);
    // A row together with its seal: the chain skips a number.
    await behindTheBack('DELETE FROM audit_log WHERE id = $1', [ids[6]]);
    await behindTheBack('DELETE FROM audit_seals WHERE log_id = $1', [ids[6]]);
    const report = await verifyAuditChain(t.db, secret());
    const mine = report.problems.filter((p) => p.seq === seq2 || p.seq === seq6);
    expect(mine).toEqual([
      { kind: 'missing', seq: seq2, logId: ids[2], message: `第 ${seq2} 条审计记录（编号 ${ids[2]}）已被删除` },
      { kind: 'sealMissing', seq: seq6, logId: null, message: `第 ${seq6} 条审计记录连同其校验值被删除` },
    ]);
  });

  it('finds the newest rows removed with their seals (the head points past the end)', async () => {
    const ids = await rows('tail', 5);
    await sealAuditLog(t.db, secret());
    const seq3 = await seqOf(ids[3]);
    await behindTheBack('DELETE FROM audit_log WHERE id >= $1', [ids[3]]);
    await behindTheBack('DELETE FROM audit_seals WHERE log_id >= $1', [ids[3]]);
    const report = await verifyAuditChain(t.db, secret());
    expect(report.problems.at(-1)).toEqual({ kind: 'headMismatch', seq: seq3, logId: null, message: `最后 2 条审计记录（第 ${seq3} 条起）连同其校验值被删除` });
  });
});

describe('retention (180 days)', () => {
  it('refuses UPDATE, DELETE of a young row and TRUNCATE; a row older than 180 days may be deleted', async () => {
    await rows('retention', 3);
    const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
    const before = await count();
    await expect(t.db.query(`UPDATE audit_log SET action = 'x' WHERE action = 'test.retention'`)).rejects.toThrow(/审计日志不可修改/);
    await expect(t.db.query(`DELETE FROM audit_log WHERE action = 'test.retention'`)).rejects.toThrow(/保存期（180 天）内不可删除/);
    await expect(t.db.query('TRUNCATE audit_log')).rejects.toThrow(/不可清空/);
    expect(await count()).toBe(before);
    await t.db.query(`INSERT INTO audit_log (at, action, entity) VALUES (now() - interval '181 days', 'test.old', 'test')`);
    await t.db.query(`INSERT INTO audit_log (at, action, entity) VALUES (now() - interval '179 days', 'test.notSoOld', 'test')`);
    expect((await t.db.query(`DELETE FROM audit_log WHERE action = 'test.old'`)).rowCount).toBe(1);
    await expect(t.db.query(`DELETE FROM audit_log WHERE action = 'test.notSoOld'`)).rejects.toThrow(/保存期/);
    // The seals are protected the same way.
    await sealAuditLog(t.db, secret());
    await expect(t.db.query('UPDATE audit_seals SET hash = hash')).rejects.toThrow(/校验链不可修改/);
    await expect(t.db.query('DELETE FROM audit_seals')).rejects.toThrow(/保存期/);
    await expect(t.db.query('TRUNCATE audit_seals')).rejects.toThrow(/不可清空/);
  });
});

describe.runIf(TEST_DB === 'pg')('npm run verify-audit', () => {
  const run = promisify(execFile);
  it('exits 1 naming the first altered row (one run of the real command: it takes seconds to start)', async () => {
    const a = await createTestApp();
    onTestFinished(() => a.close());
    for (let i = 0; i < 12; i++) await audit(a.db, null, 'test.cli', 'test', i);
    await sealAuditLog(a.db, a.ctx.config.secret);
    const dbName = (await a.db.query<{ d: string }>('SELECT current_database() AS d')).rows[0].d;
    const url = new URL(inject('pgUrl'));
    url.pathname = `/${dbName}`;
    const env = { ...process.env, DATABASE_URL: url.toString(), NODE_ENV: 'test', DEMO: '1', QIANGSHI_SECRET: undefined };
    const target = (await a.db.query<{ id: number }>('SELECT id FROM audit_log ORDER BY id')).rows[2].id;
    await a.db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_retention');
    await a.db.query(`UPDATE audit_log SET entity_id = '999' WHERE id = $1`, [target]);
    const bad = await run('npx', ['tsx', 'server/src/main.ts', 'verify-audit'], { env }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad?.code).toBe(1);
    expect(bad?.stderr).toContain(`第一处：第 3 条审计记录（编号 ${target}）的内容被修改`);
  });
});
