import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { deriveKey } from '../config.js';
import type { Queryable } from '../db/db.js';
import type { CurrentUser } from './access.js';
import type { AppContext } from './context.js';
import { openBytes, sealBytes } from './crypto.js';
import { AppError, badRequest, notFound } from './errors.js';
import { attachmentHeader } from './excel.js';

/**
 * Uploaded files, stored OUTSIDE the database under ctx.config.uploadDir. Every upload is untrusted:
 * its type is decided by magic bytes (never by the name or the browser's MIME type), its size is
 * capped, and it is stored under a random name, so the user's file name never touches the disk.
 * Downloads go through openDownload with a feature-specific authorisation check; anything the
 * caller may not see is 404, exactly like a file that does not exist. The bytes on disk are encrypted
 * (AES-256-GCM, a key derived from QIANGSHI_SECRET, bound to the stored name); rows from before
 * migration 0031 have `encrypted = false` and are read as they are.
 */

export type FileKind = 'pdf' | 'png' | 'jpeg';

export const FILE_KINDS: Record<FileKind, { mime: string; ext: string; label: string }> = {
  pdf: { mime: 'application/pdf', ext: 'pdf', label: 'PDF' },
  png: { mime: 'image/png', ext: 'png', label: 'PNG 图片' },
  jpeg: { mime: 'image/jpeg', ext: 'jpg', label: 'JPEG 图片' },
};

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The file's real type from its first bytes, or null when it is none of the kinds we accept. */
export function sniffKind(buf: Buffer): FileKind | null {
  if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIG)) return 'png';
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  return null;
}

/** A multipart file part (@fastify/multipart) or anything else that can hand over its bytes. */
export interface UploadPart {
  filename: string;
  toBuffer(): Promise<Buffer>;
}

export interface SaveUploadOptions {
  allowed: FileKind[];
  /** Default 10 MB. */
  maxBytes?: number;
  /** Who uploads and on behalf of which org: the row's owner, used by authorisation checks. */
  owner: { userId: number | null; orgId: number };
  /** What the file is for ('claimEvidence', 'shareBack' …): lets features find their own files. */
  purpose: string;
  /** Shown to users on download; never used for the stored name. Taken from the part if omitted. */
  originalName?: string;
  /** Insert the row inside the caller's transaction. */
  q?: Queryable;
}

export interface SavedFile {
  fileId: number;
  size: number;
  mime: string;
  kind: FileKind;
  sha256: string;
  originalName: string;
}

/** Stored row of a file, as authorisation callbacks see it. */
export interface StoredFile {
  id: number;
  storedName: string;
  originalName: string;
  kind: FileKind;
  mime: string;
  size: number;
  sha256: string;
  purpose: string;
  ownerUserId: number | null;
  ownerOrgId: number;
  /** Path of the owner org ('/1/4/17/'), to check scope against a user's scopePath. */
  ownerOrgPath: string;
  createdAt: string;
  /** Bytes on disk sealed with fileKey (false: stored before encryption at rest). */
  encrypted: boolean;
}

/** The key of uploaded files' bytes at rest. */
const fileKey = (ctx: AppContext) => deriveKey(ctx.config.secret, 'file-encryption');

/** A display name safe for headers and listings: no path parts, no control characters, bounded length. */
export function cleanFileName(name: string | undefined, kind: FileKind): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '')
    .trim()
    .slice(0, 120);
  return cleaned || `附件.${FILE_KINDS[kind].ext}`;
}

function kindsLabel(kinds: FileKind[]): string {
  return kinds.map((k) => FILE_KINDS[k].label).join('、');
}

async function bytesOf(source: Buffer | UploadPart, maxBytes: number): Promise<Buffer> {
  if (Buffer.isBuffer(source)) return source;
  try {
    return await source.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    throw err;
  }
}

const tooLarge = (maxBytes: number) => new AppError('PAYLOAD_TOO_LARGE', `文件超过 ${Math.round((maxBytes / 1048576) * 10) / 10} MB，请压缩后再上传`);

/** The folder for a stored name: two levels of fan-out so no directory grows huge. */
function storedPath(uploadDir: string, storedName: string): string {
  return join(resolve(uploadDir), storedName.slice(0, 2), storedName);
}

/**
 * Check and store one upload: size ≤ maxBytes, non-empty, real type (magic bytes) among `allowed`.
 * The bytes are written to a random name under uploadDir and a `files` row records the owner.
 * Throws 413 when too large, 415 when the type is not allowed, 400 when empty.
 */
export async function saveUpload(ctx: AppContext, source: Buffer | UploadPart, opts: SaveUploadOptions): Promise<SavedFile> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const buf = await bytesOf(source, maxBytes);
  if (buf.length === 0) throw badRequest('文件为空，请重新选择', [{ field: 'file', message: '文件为空' }]);
  if (buf.length > maxBytes) throw tooLarge(maxBytes);
  const kind = sniffKind(buf);
  if (!kind || !opts.allowed.includes(kind)) {
    throw new AppError('UNSUPPORTED_MEDIA', `文件类型不支持，只能上传 ${kindsLabel(opts.allowed)} 文件`, [{ field: 'file', message: '文件类型不支持' }]);
  }
  const sha256 = createHash('sha256').update(buf).digest('hex');
  const storedName = randomBytes(16).toString('hex');
  const path = storedPath(ctx.config.uploadDir, storedName);
  await mkdir(join(path, '..'), { recursive: true });
  // Write under a temporary name and rename, so a crash never leaves a half file under the real name.
  await writeFile(`${path}.part`, sealBytes(fileKey(ctx), buf, storedName), { flag: 'wx' });
  await rename(`${path}.part`, path);
  const originalName = cleanFileName(opts.originalName ?? (Buffer.isBuffer(source) ? undefined : source.filename), kind);
  try {
    const r = await (opts.q ?? ctx.db).query<{ id: number }>(
      `INSERT INTO files (stored_name, original_name, kind, mime, size, sha256, purpose, owner_user_id, owner_org_id, encrypted)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,true) RETURNING id`,
      [storedName, originalName, kind, FILE_KINDS[kind].mime, buf.length, sha256, opts.purpose, opts.owner.userId, opts.owner.orgId],
    );
    return { fileId: r.rows[0].id, size: buf.length, mime: FILE_KINDS[kind].mime, kind, sha256, originalName };
  } catch (err) {
    await unlink(path).catch(() => undefined);
    throw err;
  }
}

interface FileRow {
  id: number;
  stored_name: string;
  original_name: string;
  kind: FileKind;
  mime: string;
  size: number;
  sha256: string;
  purpose: string;
  owner_user_id: number | null;
  owner_org_id: number;
  owner_org_path: string;
  created_at: Date | string;
  encrypted: boolean;
}

const toStored = (r: FileRow): StoredFile => ({
  id: r.id,
  storedName: r.stored_name,
  originalName: r.original_name,
  kind: r.kind,
  mime: r.mime,
  size: r.size,
  sha256: r.sha256,
  purpose: r.purpose,
  ownerUserId: r.owner_user_id,
  ownerOrgId: r.owner_org_id,
  ownerOrgPath: r.owner_org_path,
  createdAt: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at),
  encrypted: r.encrypted,
});

/** The rows of these files (any order; missing ids are left out). No authorisation: callers scope first. */
export async function getFiles(q: Queryable, ids: number[]): Promise<StoredFile[]> {
  if (!ids.length) return [];
  const r = await q.query<FileRow>(
    `SELECT f.*, o.path AS owner_org_path FROM files f JOIN orgs o ON o.id = f.owner_org_id WHERE f.id = ANY($1::bigint[]) ORDER BY f.id`,
    [ids],
  );
  return r.rows.map(toStored);
}

/** Default rule: the uploader themself, or a non-teacher whose scope holds the owner org. */
export function ownerOrInScope(f: StoredFile, user: CurrentUser): boolean {
  if (f.ownerUserId !== null && f.ownerUserId === user.id) return true;
  return user.role !== 'teacher' && f.ownerOrgPath.startsWith(user.scopePath);
}

export interface Download {
  file: StoredFile;
  stream: Readable;
}

/**
 * Open a stored file for download if `authorize` allows this user; otherwise, or when the file
 * is missing (row or bytes), 404 — a caller cannot tell "forbidden" from "does not exist".
 */
export async function openDownload(
  ctx: AppContext,
  user: CurrentUser,
  fileId: number,
  authorize: (f: StoredFile, user: CurrentUser) => boolean | Promise<boolean> = ownerOrInScope,
): Promise<Download> {
  const [f] = await getFiles(ctx.db, [fileId]);
  if (!f || !(await authorize(f, user))) throw notFound('文件');
  const path = storedPath(ctx.config.uploadDir, f.storedName);
  const st = await stat(path).catch(() => null);
  if (!st || !st.isFile()) throw notFound('文件');
  if (!f.encrypted) return { file: f, stream: createReadStream(path) };
  // Files are at most a few MB: decrypt in memory (GCM checks the tag only at the end, so never stream out
  // bytes before they are known to be intact).
  let plain: Buffer;
  try {
    plain = openBytes(fileKey(ctx), await readFile(path), f.storedName);
  } catch {
    throw new AppError('UNAVAILABLE', '文件已损坏或无法解密，请联系系统管理员');
  }
  return { file: f, stream: Readable.from([plain]) };
}

/** Send a Download: right type and length, a safe Content-Disposition, never cached by shared caches. */
export function sendDownload(reply: FastifyReply, d: Download, opts: { inline?: boolean } = {}): FastifyReply {
  const disposition = opts.inline ? attachmentHeader(d.file.originalName).replace(/^attachment/, 'inline') : attachmentHeader(d.file.originalName);
  return reply
    .header('content-type', d.file.mime)
    .header('content-length', String(d.file.size))
    .header('content-disposition', disposition)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(d.stream);
}

/**
 * Delete a file's row inside the caller's transaction (e.g. evidence removed from a draft) and return
 * the step that removes its bytes: call it after the transaction commits, so a rollback never leaves
 * a row without bytes (at worst, bytes without a row: an unreachable orphan). The caller has already
 * checked that the user may do it.
 */
export async function deleteStoredFile(ctx: AppContext, q: Queryable, fileId: number): Promise<() => Promise<void>> {
  const r = await q.query<{ stored_name: string }>('DELETE FROM files WHERE id = $1 RETURNING stored_name', [fileId]);
  const name = r.rows[0]?.stored_name;
  return async () => {
    if (name) await unlink(storedPath(ctx.config.uploadDir, name)).catch(() => undefined);
  };
}

/**
 * Encrypt the files stored before encryption at rest (`encrypted = false`, from before migration 0031): each is
 * sealed under a new random name, its row switched to that name in one UPDATE, then the plain bytes are removed.
 * A crash leaves at worst an unreachable file (sealed copy, or the plain original after the switch). Files whose
 * bytes are missing or do not match their sha256 are left alone and reported. `npm run encrypt-files`.
 */
export async function encryptLegacyFiles(ctx: AppContext, log: (msg: string) => void = () => undefined): Promise<{ encrypted: number; skipped: number }> {
  let encrypted = 0;
  let skipped = 0;
  let after = 0;
  for (;;) {
    const rows = (
      await ctx.db.query<{ id: number; stored_name: string; sha256: string }>(
        'SELECT id, stored_name, sha256 FROM files WHERE NOT encrypted AND id > $1 ORDER BY id LIMIT 200',
        [after],
      )
    ).rows;
    if (!rows.length) break;
    for (const r of rows) {
      after = r.id;
      const oldPath = storedPath(ctx.config.uploadDir, r.stored_name);
      const plain = await readFile(oldPath).catch(() => null);
      if (!plain || createHash('sha256').update(plain).digest('hex') !== r.sha256) {
        skipped++;
        log(`文件 ${r.id}：${plain ? '内容与记录的校验值不符' : '文件不存在'}，未加密`);
        continue;
      }
      const newName = randomBytes(16).toString('hex');
      const newPath = storedPath(ctx.config.uploadDir, newName);
      await mkdir(join(newPath, '..'), { recursive: true });
      await writeFile(`${newPath}.part`, sealBytes(fileKey(ctx), plain, newName), { flag: 'wx' });
      await rename(`${newPath}.part`, newPath);
      const u = await ctx.db.query('UPDATE files SET stored_name = $2, encrypted = true WHERE id = $1 AND stored_name = $3 AND NOT encrypted', [
        r.id,
        newName,
        r.stored_name,
      ]);
      if (u.rowCount === 0) {
        await unlink(newPath).catch(() => undefined); // changed meanwhile (deleted): keep things as they are
        continue;
      }
      await unlink(oldPath).catch(() => undefined);
      encrypted++;
    }
  }
  return { encrypted, skipped };
}
