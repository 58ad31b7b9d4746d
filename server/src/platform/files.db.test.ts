import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { seedWorld, type World } from '../../../test/factories.js';
import type { CurrentUser } from './access.js';
import { AppError } from './errors.js';
import { deleteStoredFile, encryptLegacyFiles, openDownload, ownerOrInScope, saveUpload, sniffKind } from './files.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

let t: TestApp;
let w: World;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(32, 2)]);

const userAt = (orgId: number, orgPath: string, role: CurrentUser['role'], id = 999_999): CurrentUser => ({
  id,
  username: 'x',
  displayName: 'x',
  role,
  orgId,
  orgPath,
  orgName: 'x',
  orgLevel: 'school',
  teacherId: null,
  scopePath: orgPath,
  roleId: 0,
  mustChangePassword: false,
});

async function pathOf(orgId: number): Promise<string> {
  return (await t.db.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [orgId])).rows[0].path;
}

async function expectError(p: Promise<unknown>, status: number): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(status);
  return err as AppError;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
});
afterAll(async () => t?.close());

describe('file uploads', () => {
  it('recognises PDF, PNG and JPEG by their magic bytes only', () => {
    expect(sniffKind(PDF)).toBe('pdf');
    expect(sniffKind(PNG)).toBe('png');
    expect(sniffKind(JPEG)).toBe('jpeg');
    expect(sniffKind(Buffer.from('MZ\x90\x00 not a pdf'))).toBeNull();
    expect(sniffKind(Buffer.from('<html>%PDF-'))).toBeNull();
  });

  it('stores under a random name in the upload folder, never the user’s file name', async () => {
    const owner = { userId: null, orgId: w.school1 };
    const a = await saveUpload(t.ctx, { filename: '../../etc/passwd.pdf', toBuffer: async () => PDF }, { allowed: ['pdf'], owner, purpose: 'test' });
    const b = await saveUpload(t.ctx, PNG, { allowed: ['pdf', 'png'], owner, purpose: 'test', originalName: '证书.png' });
    expect(a.kind).toBe('pdf');
    expect(a.mime).toBe('application/pdf');
    expect(a.originalName).toBe('passwd.pdf');
    expect(b.originalName).toBe('证书.png');
    const rows = (await t.db.query<{ stored_name: string }>('SELECT stored_name FROM files WHERE id = ANY($1::bigint[])', [[a.fileId, b.fileId]])).rows;
    for (const r of rows) {
      expect(r.stored_name).toMatch(/^[0-9a-f]{32}$/);
      const p = join(resolve(t.ctx.config.uploadDir), r.stored_name.slice(0, 2), r.stored_name);
      expect(existsSync(p)).toBe(true);
    }
    expect(rows[0].stored_name).not.toBe(rows[1].stored_name);
    const dirOfA = join(resolve(t.ctx.config.uploadDir), rows[0].stored_name.slice(0, 2));
    expect(readdirSync(dirOfA).some((n) => n.includes('passwd'))).toBe(false);
  });

  it('refuses a file whose content is not an allowed type, whatever its name says', async () => {
    const owner = { userId: null, orgId: w.school1 };
    const err = await expectError(
      saveUpload(t.ctx, Buffer.from('#!/bin/sh\necho hi'), { allowed: ['pdf', 'png', 'jpeg'], owner, purpose: 'test', originalName: 'a.pdf' }),
      415,
    );
    expect(err.message).toContain('PDF');
    await expectError(saveUpload(t.ctx, JPEG, { allowed: ['pdf'], owner, purpose: 'test' }), 415);
    await expectError(saveUpload(t.ctx, Buffer.alloc(0), { allowed: ['pdf'], owner, purpose: 'test' }), 400);
  });

  it('refuses a file over the size limit', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(2048)]);
    const err = await expectError(
      saveUpload(t.ctx, big, { allowed: ['pdf'], owner: { userId: null, orgId: w.school1 }, purpose: 'test', maxBytes: 1024 }),
      413,
    );
    expect(err.message).toMatch(/MB/);
    const tooLargePart = {
      filename: 'x.pdf',
      toBuffer: async () => {
        throw Object.assign(new Error('too large'), { code: 'FST_REQ_FILE_TOO_LARGE' });
      },
    };
    await expectError(saveUpload(t.ctx, tooLargePart, { allowed: ['pdf'], owner: { userId: null, orgId: w.school1 }, purpose: 'test' }), 413);
  });

  it('downloads only for authorised users; others get 404 like a missing file', async () => {
    const s = await saveUpload(t.ctx, PDF, { allowed: ['pdf'], owner: { userId: null, orgId: w.school1 }, purpose: 'test' });
    const sameSchool = userAt(w.school1, await pathOf(w.school1), 'schoolAdmin');
    const otherSchool = userAt(w.school2, await pathOf(w.school2), 'schoolAdmin');
    const county = userAt(w.county1, await pathOf(w.county1), 'bureauAdmin');
    const d = await openDownload(t.ctx, sameSchool, s.fileId);
    const chunks: Buffer[] = [];
    for await (const c of d.stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(PDF)).toBe(true);
    expect(ownerOrInScope(d.file, county)).toBe(true);
    await expectError(openDownload(t.ctx, otherSchool, s.fileId), 404);
    await expectError(
      openDownload(t.ctx, sameSchool, s.fileId, () => false),
      404,
    );
    await expectError(openDownload(t.ctx, sameSchool, 987654321), 404);
  });

  it('deletes the row in the transaction and the bytes after it', async () => {
    const s = await saveUpload(t.ctx, PDF, { allowed: ['pdf'], owner: { userId: null, orgId: w.school1 }, purpose: 'test' });
    const stored = (await t.db.query<{ stored_name: string }>('SELECT stored_name FROM files WHERE id = $1', [s.fileId])).rows[0].stored_name;
    const p = join(resolve(t.ctx.config.uploadDir), stored.slice(0, 2), stored);
    expect(existsSync(p)).toBe(true);
    const cleanup = await t.db.tx((q) => deleteStoredFile(t.ctx, q, s.fileId));
    await cleanup();
    expect(existsSync(p)).toBe(false);
    expect((await t.db.query('SELECT 1 FROM files WHERE id = $1', [s.fileId])).rows).toHaveLength(0);
  });
});

describe('uploaded files are encrypted at rest (issue 9 item 17)', () => {
  const diskPath = async (fileId: number) => {
    const stored = (await t.db.query<{ stored_name: string }>('SELECT stored_name FROM files WHERE id = $1', [fileId])).rows[0].stored_name;
    return join(resolve(t.ctx.config.uploadDir), stored.slice(0, 2), stored);
  };
  const read = async (fileId: number, user: CurrentUser) => {
    const d = await openDownload(t.ctx, user, fileId);
    const chunks: Buffer[] = [];
    for await (const c of d.stream) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const SECRET_TEXT = '%PDF-1.4\n张三 身份证 110101199003071234 培训证明\n%%EOF\n';

  it('writes ciphertext to disk, flags the row, and gives the plain bytes back on download', async () => {
    const plain = Buffer.from(SECRET_TEXT);
    const s = await saveUpload(t.ctx, plain, { allowed: ['pdf'], owner: { userId: null, orgId: w.school1 }, purpose: 'claimEvidence' });
    const onDisk = readFileSync(await diskPath(s.fileId));
    expect(onDisk.equals(plain)).toBe(false);
    expect(onDisk.includes(Buffer.from('110101199003071234'))).toBe(false);
    expect(onDisk.includes(Buffer.from('%PDF'))).toBe(false);
    expect((await t.db.query<{ encrypted: boolean }>('SELECT encrypted FROM files WHERE id = $1', [s.fileId])).rows[0].encrypted).toBe(true);
    const got = await read(s.fileId, userAt(w.school1, await pathOf(w.school1), 'schoolAdmin'));
    expect(got.equals(plain)).toBe(true);
  });

  it('still reads a file stored before encryption (row flagged encrypted = false)', async () => {
    const stored = 'ab'.repeat(16);
    const dir = join(resolve(t.ctx.config.uploadDir), stored.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, stored), PDF);
    const id = (
      await t.db.query<{ id: number }>(
        `INSERT INTO files (stored_name, original_name, kind, mime, size, sha256, purpose, owner_user_id, owner_org_id)
         VALUES ($1, 'old.pdf', 'pdf', 'application/pdf', $2, 'x', 'test', NULL, $3) RETURNING id`,
        [stored, PDF.length, w.school1],
      )
    ).rows[0].id;
    expect((await t.db.query<{ encrypted: boolean }>('SELECT encrypted FROM files WHERE id = $1', [id])).rows[0].encrypted).toBe(false);
    expect((await read(id, userAt(w.school1, await pathOf(w.school1), 'schoolAdmin'))).equals(PDF)).toBe(true);
  });

  it('refuses altered ciphertext or bytes moved under another file’s name (503, never wrong bytes)', async () => {
    const owner = { userId: null, orgId: w.school1 };
    const user = userAt(w.school1, await pathOf(w.school1), 'schoolAdmin');
    const a = await saveUpload(t.ctx, Buffer.from(SECRET_TEXT), { allowed: ['pdf'], owner, purpose: 'test' });
    const b = await saveUpload(t.ctx, PDF, { allowed: ['pdf'], owner, purpose: 'test' });
    const pa = await diskPath(a.fileId);
    const bytes = readFileSync(pa);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(pa, bytes);
    await expectError(read(a.fileId, user), 503);
    // b's ciphertext under a's name: the stored name is bound into the ciphertext.
    writeFileSync(pa, readFileSync(await diskPath(b.fileId)));
    await expectError(read(a.fileId, user), 503);
  });

  it('npm run encrypt-files seals the old plain files under new names; downloads are unchanged; repeating does nothing', async () => {
    const user = userAt(w.school1, await pathOf(w.school1), 'schoolAdmin');
    const stored = 'cd'.repeat(16);
    const dir = join(resolve(t.ctx.config.uploadDir), stored.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, stored), PDF);
    const sha = createHash('sha256').update(PDF).digest('hex');
    const id = (
      await t.db.query<{ id: number }>(
        `INSERT INTO files (stored_name, original_name, kind, mime, size, sha256, purpose, owner_user_id, owner_org_id)
         VALUES ($1, 'old.pdf', 'pdf', 'application/pdf', $2, $3, 'test', NULL, $4) RETURNING id`,
        [stored, PDF.length, sha, w.school1],
      )
    ).rows[0].id;
    // A row whose bytes are gone is reported, not touched.
    await t.db.query(
      `INSERT INTO files (stored_name, original_name, kind, mime, size, sha256, purpose, owner_user_id, owner_org_id)
       VALUES ($1, 'gone.pdf', 'pdf', 'application/pdf', 10, 'x', 'test', NULL, $2)`,
      ['ef'.repeat(16), w.school1],
    );
    const r = await encryptLegacyFiles(t.ctx);
    // (The earlier test's plain row has no real checksum: it is skipped too.)
    expect(r.encrypted).toBe(1);
    expect(r.skipped).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(dir, stored))).toBe(false);
    const row = (await t.db.query<{ encrypted: boolean; stored_name: string }>('SELECT encrypted, stored_name FROM files WHERE id = $1', [id])).rows[0];
    expect(row.encrypted).toBe(true);
    expect(readFileSync(await diskPath(id)).includes(Buffer.from('%PDF'))).toBe(false);
    expect((await read(id, user)).equals(PDF)).toBe(true);
    expect((await encryptLegacyFiles(t.ctx)).encrypted).toBe(0);
  });
});
