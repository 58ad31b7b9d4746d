/** The one application error: a code that maps to an HTTP status and a message in Chinese for the UI. */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  /** The account's password is an initial or reset one: change it before anything else. */
  | 'PASSWORD_CHANGE_REQUIRED'
  /** The account has a TOTP authenticator and this session has not entered its code yet. */
  | 'SECOND_FACTOR_REQUIRED'
  /** An admin account must bind a TOTP authenticator before anything else. */
  | 'TOTP_ENROLMENT_REQUIRED'
  /** Too many failed sign-ins: the account is locked for a while (or until the 安全管理员 unlocks it). */
  | 'ACCOUNT_LOCKED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA'
  | 'RATE_LIMITED'
  /** A server-side prerequisite is missing (e.g. the Chinese font for certificates): not the user's fault. */
  | 'UNAVAILABLE';

const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  SECOND_FACTOR_REQUIRED: 403,
  TOTP_ENROLMENT_REQUIRED: 403,
  ACCOUNT_LOCKED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA: 415,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (what = '记录') => new AppError('NOT_FOUND', `${what}不存在或无权访问`);
export const forbidden = (msg = '无权执行此操作') => new AppError('FORBIDDEN', msg);
export const conflict = (msg: string) => new AppError('CONFLICT', msg);
export const badRequest = (msg: string, fields: FieldError[] = []) => new AppError('VALIDATION', msg, fields);
