import type { ErrorCode } from './errors.js';

/**
 * The last resort for input the schemas let through but the database refuses: PostgreSQL data errors and
 * integrity violations are the caller's input, not a server fault, so they answer 4xx with a Chinese message
 * instead of 500. Services should refuse such input earlier with a field message; this mapping only keeps a
 * missed case from looking like a crash. The SQLSTATE, table and constraint are logged (never the values).
 */

export interface DbErrorInfo {
  sqlstate: string;
  table?: string;
  constraint?: string;
}

export interface MappedDbError {
  status: number;
  code: ErrorCode;
  message: string;
}

/** The SQLSTATE of a PostgreSQL error from pg or PGlite (both carry `code` and `severity`), or null. */
export function sqlStateOf(err: unknown): DbErrorInfo | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { code?: unknown; severity?: unknown; table?: unknown; constraint?: unknown };
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code) || typeof e.severity !== 'string') return null;
  return {
    sqlstate: e.code,
    table: typeof e.table === 'string' ? e.table : undefined,
    constraint: typeof e.constraint === 'string' ? e.constraint : undefined,
  };
}

/** The 4xx answer for a database error caused by the request's data, or null for a genuine server fault. */
export function mapDbError(sqlstate: string): MappedDbError | null {
  switch (sqlstate) {
    case '23505':
      return { status: 409, code: 'CONFLICT', message: '记录已存在（与现有数据重复），请检查后重试' };
    case '23503':
      return { status: 409, code: 'CONFLICT', message: '引用的记录不存在，或该记录仍被其他数据引用' };
    case '23502':
      return { status: 400, code: 'VALIDATION', message: '缺少必填的数据，请检查后重试' };
    case '23514':
      return { status: 400, code: 'VALIDATION', message: '数据不符合要求（超出允许的范围或取值），请检查后重试' };
    case '23P01':
      return { status: 409, code: 'CONFLICT', message: '与现有数据冲突，请检查后重试' };
    case '40001':
    case '40P01':
      return { status: 409, code: 'CONFLICT', message: '操作与他人的操作冲突，请重试' };
    case '08P01': // PGlite: a NUL byte in SQL text ends the protocol message early
      return { status: 400, code: 'VALIDATION', message: '输入含有无效字符，请检查后重试' };
  }
  if (sqlstate.startsWith('22')) {
    if (sqlstate === '22021') return { status: 400, code: 'VALIDATION', message: '输入含有无效字符（如空字符），请检查后重试' };
    if (sqlstate === '22001') return { status: 400, code: 'VALIDATION', message: '输入内容过长，请缩短后重试' };
    if (sqlstate === '22003') return { status: 400, code: 'VALIDATION', message: '数值超出允许的范围，请检查后重试' };
    if (sqlstate === '22007' || sqlstate === '22008') return { status: 400, code: 'VALIDATION', message: '日期或时间无效，请检查后重试' };
    return { status: 400, code: 'VALIDATION', message: '输入的数据格式不正确，请检查后重试' };
  }
  if (sqlstate === '54000' || sqlstate === '54001') return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: '请求的数据过大或过于复杂，请减少数量后重试' };
  return null;
}
