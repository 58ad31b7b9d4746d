import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { buildTeacher, PASSWORD, seedWorld, type World } from '../../../test/factories.js';
import { createTestApp, login, type TestApp } from '../../../test/harness.js';
import { createTeacher } from '../modules/teachers/teachers.service.js';
import { REDACTED } from './log-redaction.js';

/**
 * Issue 9 item 8, reproduced: searching teachers wrote full 身份证号 and phones into the server log (the request
 * line carried ?q=<ID>). The app here logs like production (logger on) into a buffer; every search path is tried
 * with a real ID and phone, and the log must hold neither.
 */

let t: TestApp;
let w: World;
let app: FastifyInstance;
let cookie = '';
const lines: string[] = [];
const teacher = { nationalId: '', phone: '' };

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  app = await buildApp(t.ctx, { logger: true, webDir: '/nonexistent', logStream: { write: (line: string) => void lines.push(line) } });
  await app.ready();
  const input = buildTeacher(w.school1, { name: '日志老师', phone: '13912345678' });
  await createTeacher(t.ctx, w.cityAdmin, input);
  Object.assign(teacher, { nationalId: input.nationalId, phone: input.phone });
  cookie = await login(app, 'city.admin', PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });

describe('issue 9 item 8: no 身份证号 or phone in the server log', () => {
  it('search URLs, exact searches, IDs in paths and other lists with a number in q leave no ID or phone in the log', async () => {
    const { nationalId, phone } = teacher;
    const before = lines.length;
    expect((await get(`/api/teachers?q=${nationalId}`)).statusCode).toBe(400);
    expect((await get(`/api/teachers?q=${phone}&page=1`)).statusCode).toBe(400);
    expect((await get(`/api/teachers?q=${encodeURIComponent('日志老师')}`)).json().total).toBe(1);
    expect((await get(`/api/teachers/export?status=active&q=${nationalId.toLowerCase()}`)).statusCode).toBe(400);
    expect((await get(`/api/teachers/${nationalId}`)).statusCode).toBe(400);
    expect((await get(`/api/accounts/teachers?q=${phone}`)).statusCode).toBeLessThan(500);
    expect((await get(`/api/experts?q=${encodeURIComponent(phone)}`)).statusCode).toBeLessThan(500);
    expect((await get(`/api/audit?q=${nationalId}`)).statusCode).toBeLessThan(500);
    const byId = await app.inject({ method: 'POST', url: '/api/teachers/search', headers: { cookie }, payload: { nationalId } });
    expect(byId.json().total).toBe(1);
    const byPhone = await app.inject({ method: 'POST', url: '/api/teachers/search', headers: { cookie }, payload: { phone } });
    expect(byPhone.json().total).toBe(1);
    // A failed sign-in with a phone as the username.
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: phone, password: 'wrong-password' } });

    const log = lines.slice(before).join('');
    for (const secret of [nationalId, nationalId.toLowerCase(), nationalId.slice(0, 17), phone]) expect(log).not.toContain(secret);
    // The log is not empty: the requests are there, only the numbers are gone.
    expect(log).toContain('/api/teachers/search');
    expect(log).toContain(`/api/teachers?q=${REDACTED}&page=1`);
    expect(log).toContain(`/api/teachers/export?status=active&q=${REDACTED}`);
    expect(log).toContain('/api/teachers/[已隐去]');
    // Nor the searched name.
    expect(log).not.toContain('日志老师');
    expect(log).not.toContain(encodeURIComponent('日志老师'));
  });
});
