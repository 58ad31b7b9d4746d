import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type FieldError } from './errors.js';
import type { SheetRow, XlsxReadOptions, XlsxSheet } from './excel.js';

/**
 * A small pool of worker threads for the CPU-heavy spreadsheet work (parsing an upload with exceljs,
 * building a workbook), so that the event loop keeps answering other requests meanwhile. Tasks beyond
 * the pool's size wait in a queue; how many may be admitted at once is platform/heavy.ts's business.
 * Workers start on first use, are kept, and do not keep the process alive while idle.
 */
export const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism() - 1));

/** Heap of one worker thread (MB). */
export const WORKER_HEAP_MB = 1024;

export type PoolTask = { id: number; op: 'read'; buf: Uint8Array; fileName: string; opts: XlsxReadOptions } | { id: number; op: 'write'; sheets: XlsxSheet[] };

export type PoolReply =
  | { id: number; ok: true; rows: SheetRow[] }
  | { id: number; ok: true; buf: Uint8Array }
  | { id: number; ok: false; appError: { code: ErrorCode; message: string; fields: FieldError[] } }
  | { id: number; ok: false; message: string };

interface Pending {
  task: PoolTask;
  resolve: (r: PoolReply) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
}

/** Benchmarks: `inline` runs the tasks on the calling thread, as before the pool (the baseline). */
export const POOL = { inline: false };

const slots: Slot[] = [];
const queue: Pending[] = [];
let nextId = 1;

const entry = new URL(import.meta.url.endsWith('.ts') ? './excel-worker.ts' : './excel-worker.js', import.meta.url).href;

function spawn(): Slot {
  // A heap cap per worker: whatever slips past the zip inspection ends this worker, not the server.
  const worker = new Worker(new URL('./excel-worker-boot.mjs', import.meta.url), {
    workerData: { entry },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  const slot: Slot = { worker, busy: null };
  worker.unref();
  worker.on('message', (reply: PoolReply) => {
    const done = slot.busy;
    slot.busy = null;
    worker.unref();
    done?.resolve(reply);
    pump();
  });
  const fail = (err: Error) => {
    slots.splice(slots.indexOf(slot), 1);
    const oom = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
    slot.busy?.reject(oom ? new AppError('PAYLOAD_TOO_LARGE', '文件内容过多，处理时超出内存上限，请拆分后分批上传') : err);
    slot.busy = null;
    pump();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (slots.includes(slot)) fail(new Error(`表格处理线程意外退出（${code}）`));
  });
  slots.push(slot);
  return slot;
}

function pump(): void {
  while (queue.length) {
    const slot = slots.find((s) => !s.busy) ?? (slots.length < POOL_SIZE ? spawn() : null);
    if (!slot) return;
    const p = queue.shift() as Pending;
    slot.busy = p;
    slot.worker.ref(); // a task in flight keeps the process alive (a CLI awaiting it)
    slot.worker.postMessage(p.task);
  }
}

function run(task: PoolTask): Promise<PoolReply> {
  return new Promise<PoolReply>((resolve, reject) => {
    queue.push({ task, resolve, reject });
    pump();
  }).then((reply) => {
    if (reply.ok) return reply;
    if ('appError' in reply) throw new AppError(reply.appError.code, reply.appError.message, reply.appError.fields);
    throw new Error(reply.message);
  });
}

/** parseSpreadsheet on a worker thread. */
export async function readInWorker(buf: Buffer, fileName: string, opts: XlsxReadOptions): Promise<SheetRow[]> {
  if (POOL.inline) return (await import('./excel.js')).parseSpreadsheet(buf, fileName, opts);
  const reply = await run({ id: nextId++, op: 'read', buf, fileName, opts });
  return (reply as { rows: SheetRow[] }).rows;
}

/** buildXlsx on a worker thread. */
export async function writeInWorker(sheets: XlsxSheet[]): Promise<Buffer> {
  if (POOL.inline) return (await import('./excel.js')).buildXlsx(sheets);
  const reply = await run({ id: nextId++, op: 'write', sheets });
  const out = (reply as { buf: Uint8Array }).buf;
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** Tasks running or waiting (benchmarks, tests). */
export function poolLoad(): { running: number; queued: number; workers: number } {
  return { running: slots.filter((s) => s.busy).length, queued: queue.length, workers: slots.length };
}
