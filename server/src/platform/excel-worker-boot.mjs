// Entry of an off-thread spreadsheet worker (platform/excel-pool.ts). The server runs TypeScript through tsx,
// which a worker thread does not inherit: register it here, then load the real worker module.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
