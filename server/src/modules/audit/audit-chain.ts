import { createHmac } from 'node:crypto';
import { deriveKey } from '../../config.js';
import type { Db } from '../../db/db.js';
import * as repo from './audit-chain.repository.js';

/**
 * The audit log proves itself (issue 9 item 5): every row gets a seal — its place in one linear chain (seq)
 * and an HMAC-SHA256, keyed from the server secret, over the row's content and the previous seal's hash.
 * Changing a row, deleting one (its seal stays behind) or deleting a row with its seal (the next seal's
 * link no longer matches, or the chain's head points past the end) is found by `verifyAuditChain`; without
 * the secret nobody can compute seals that would hide it.
 *
 * Rows are written by the request that does the thing (platform/audit.ts, an ordinary INSERT, no lock), and
 * sealed shortly after commit by `sealAuditLog`, one sealer at a time (it row-locks the chain's head). So
 * concurrent writers never wait for each other and the chain is linear whatever order they commit in; the
 * price is a few seconds between a row's commit and its seal (the background sealer runs every few seconds,
 * and every check seals first).
 */
export const AUDIT_CHAIN_PURPOSE = 'audit-chain';
const SEAL_BATCH = 2000;
const VERIFY_BATCH = 5000;
const MAX_PROBLEMS = 50;

export function auditChainKey(secret: string): Buffer {
  return deriveKey(secret, AUDIT_CHAIN_PURPOSE);
}

/** The seal hash of row `r` at position `seq` after `prev`. */
export function sealHash(key: Buffer, seq: number, prev: string, r: repo.ChainRow): string {
  const content = JSON.stringify([seq, r.id, r.at, r.user_id, r.org_id, r.action, r.entity, r.entity_id, r.detail, r.ip, prev]);
  return createHmac('sha256', key).update(content).digest('hex');
}

/** Seal every committed row that has no seal yet; how many were sealed. */
export async function sealAuditLog(db: Db, secret: string): Promise<number> {
  const key = auditChainKey(secret);
  let total = 0;
  for (;;) {
    const n = await db.tx(async (q) => {
      let head = await repo.lockHead(q);
      const rows = await repo.unsealedRows(q, SEAL_BATCH);
      if (!rows.length) return 0;
      const seals = rows.map((r) => {
        const seq = head.seq + 1;
        const hash = sealHash(key, seq, head.hash, r);
        const s = { seq, logId: r.id, prev: head.hash, hash };
        head = { seq, hash };
        return s;
      });
      await repo.insertSeals(q, seals);
      await repo.moveHead(q, head);
      return rows.length;
    });
    total += n;
    if (n < SEAL_BATCH) return total;
  }
}

export type ChainProblemKind = 'altered' | 'missing' | 'sealMissing' | 'linkBroken' | 'headMismatch' | 'unsealed';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** Position in the chain (seal seq), when the problem has one. */
  seq: number | null;
  /** The audit_log id concerned, when known. */
  logId: number | null;
  message: string;
}

export interface ChainReport {
  ok: boolean;
  /** Seals checked. */
  checked: number;
  /** Where checking started (1, or the first seal kept after older ones passed their retention). */
  firstSeq: number | null;
  head: repo.Head;
  /** The first problems found, in chain order (at most 50); the first one is where tampering begins. */
  problems: ChainProblem[];
  problemCount: number;
  checkedAt: string;
}

/**
 * Walk the whole chain and report every row that was altered or removed. Seals first, so rows written just
 * now are included. Runs in pages (constant memory, whatever the log's size).
 */
export async function verifyAuditChain(db: Db, secret: string): Promise<ChainReport> {
  await sealAuditLog(db, secret);
  const key = auditChainKey(secret);
  const head = await repo.readHead(db);
  const problems: ChainProblem[] = [];
  let problemCount = 0;
  const add = (p: ChainProblem) => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  let checked = 0;
  let firstSeq: number | null = null;
  let prev: { seq: number; hash: string } | null = null;
  for (;;) {
    const page = await repo.sealsAfter(db, prev?.seq ?? 0, VERIFY_BATCH);
    for (const s of page) {
      checked++;
      if (firstSeq === null) firstSeq = s.seq;
      if (prev && s.seq !== prev.seq + 1) {
        add({
          kind: 'sealMissing',
          seq: prev.seq + 1,
          logId: null,
          message: `第 ${prev.seq + 1}${s.seq - prev.seq > 2 ? `–${s.seq - 1}` : ''} 条审计记录连同其校验值被删除`,
        });
      } else if (prev && s.prev_hash !== prev.hash) {
        add({ kind: 'linkBroken', seq: s.seq, logId: s.log_id, message: `第 ${s.seq} 条的校验链与前一条不衔接（校验值被篡改）` });
      }
      if (!s.row) {
        add({ kind: 'missing', seq: s.seq, logId: s.log_id, message: `第 ${s.seq} 条审计记录（编号 ${s.log_id}）已被删除` });
      } else if (sealHash(key, s.seq, s.prev_hash, s.row) !== s.hash) {
        add({ kind: 'altered', seq: s.seq, logId: s.log_id, message: `第 ${s.seq} 条审计记录（编号 ${s.log_id}）的内容被修改` });
      }
      prev = { seq: s.seq, hash: s.hash };
    }
    if (page.length < VERIFY_BATCH) break;
  }
  const last = prev ?? { seq: 0, hash: 'genesis' };
  if (last.seq !== head.seq || last.hash !== head.hash) {
    add({
      kind: 'headMismatch',
      seq: last.seq + 1,
      logId: null,
      message:
        head.seq > last.seq ? `最后 ${head.seq - last.seq} 条审计记录（第 ${last.seq + 1} 条起）连同其校验值被删除` : '校验链末端与记录不一致（校验链被篡改）',
    });
  }
  // Committed a minute ago and still unsealed: the sealer could not place them (e.g. inserted far below the newest id).
  const unsealed = await repo.countUnsealed(db, 1);
  if (unsealed.n > 0)
    add({ kind: 'unsealed', seq: null, logId: unsealed.first, message: `${unsealed.n} 条审计记录未纳入校验链（最早编号 ${unsealed.first}）` });
  return { ok: problemCount === 0, checked, firstSeq, head, problems, problemCount, checkedAt: new Date().toISOString() };
}

/**
 * Seal new rows every few seconds in this process; returns a stop function. Several app processes may run it:
 * they take turns on the head's row lock.
 */
export function startAuditSealer(db: Db, secret: string, onError: (err: unknown) => void, everyMs = 5_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sealAuditLog(db, secret)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
