import { describe, expect, it } from 'vitest';
import { mapDbError, sqlStateOf } from './db-errors.js';

describe('database errors caused by request data', () => {
  it('map to 4xx with a Chinese message', () => {
    expect(mapDbError('22021')).toEqual({ status: 400, code: 'VALIDATION', message: '输入含有无效字符（如空字符），请检查后重试' });
    expect(mapDbError('22003')?.status).toBe(400);
    expect(mapDbError('22008')?.message).toBe('日期或时间无效，请检查后重试');
    expect(mapDbError('22P02')?.status).toBe(400);
    expect(mapDbError('23505')).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(mapDbError('23503')?.status).toBe(409);
    expect(mapDbError('23502')?.status).toBe(400);
    expect(mapDbError('23514')?.status).toBe(400);
    expect(mapDbError('40P01')?.status).toBe(409);
    expect(mapDbError('54000')?.status).toBe(413);
  });

  it('leave genuine server faults (connection, syntax, missing table) to the 500 path', () => {
    for (const s of ['08006', '42601', '42P01', '53300', 'XX000']) expect(mapDbError(s), s).toBeNull();
  });

  it('recognise only PostgreSQL errors (pg and PGlite carry code and severity)', () => {
    expect(sqlStateOf({ code: '23505', severity: 'ERROR', table: 'projects', constraint: 'projects_filing_no_key' })).toEqual({
      sqlstate: '23505',
      table: 'projects',
      constraint: 'projects_filing_no_key',
    });
    expect(sqlStateOf({ code: 'FST_ERR_VALIDATION' })).toBeNull();
    expect(sqlStateOf({ code: 'ECONNRESET', severity: 'ERROR' })).toBeNull();
    expect(sqlStateOf(new Error('x'))).toBeNull();
  });
});
