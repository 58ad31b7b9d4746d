import { parentPort } from 'node:worker_threads';
import { AppError } from './errors.js';
import { buildXlsx, parseSpreadsheet } from './excel.js';
import type { PoolReply, PoolTask } from './excel-pool.js';

/** One worker of the spreadsheet pool: parses uploads and builds workbooks, one task at a time. */
const port = parentPort;
if (!port) throw new Error('excel-worker runs only as a worker thread');

port.on('message', async (task: PoolTask) => {
  let reply: PoolReply;
  try {
    if (task.op === 'read') {
      const rows = await parseSpreadsheet(Buffer.from(task.buf.buffer, task.buf.byteOffset, task.buf.byteLength), task.fileName, task.opts);
      reply = { id: task.id, ok: true, rows };
    } else {
      const buf = await buildXlsx(task.sheets);
      reply = { id: task.id, ok: true, buf: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
    }
  } catch (err) {
    reply =
      err instanceof AppError
        ? { id: task.id, ok: false, appError: { code: err.code, message: err.message, fields: err.fields } }
        : { id: task.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply, reply.ok && 'buf' in reply && reply.buf ? [reply.buf.buffer as ArrayBuffer] : []);
});
