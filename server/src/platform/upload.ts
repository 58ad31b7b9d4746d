import type { FastifyRequest } from 'fastify';
import { AppError, badRequest } from './errors.js';

/** A spreadsheet as an import preview reads it: the bytes and the name the user gave it. */
export interface UploadedSheet {
  buffer: Buffer;
  fileName: string;
}

/** What a too-large spreadsheet upload says unless the caller words it for its own import. */
export const SHEET_TOO_LARGE = '文件超过 10 MB，请拆分成多个文件后分批导入';

/** 400 for a multipart request that carries no spreadsheet. */
export function noSheet(): AppError {
  return badRequest('请选择要上传的文件（.xlsx 或 .csv）', [{ field: 'file', message: '请选择文件' }]);
}

/**
 * Run a read of multipart parts; a file over the limit multipart is registered with in app.ts
 * becomes 413 with `tooLargeMessage`. For routes that read more parts than the one file.
 */
export async function readingSheet<T>(read: () => Promise<T>, tooLargeMessage: string = SHEET_TOO_LARGE): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', tooLargeMessage);
    throw err;
  }
}

/**
 * The one spreadsheet of a multipart request (field `file`, .xlsx or .csv), for import previews.
 * The size limit is the one multipart is registered with in app.ts; going over it is 413 with
 * `tooLargeMessage`, a missing file is 400 naming the field.
 */
export async function uploadedSheet(req: FastifyRequest, tooLargeMessage: string = SHEET_TOO_LARGE): Promise<UploadedSheet> {
  const part = await req.file();
  if (!part) throw noSheet();
  return readingSheet(async () => ({ buffer: await part.toBuffer(), fileName: part.filename }), tooLargeMessage);
}
