import { createRequire } from 'node:module';
import { StringDecoder } from 'node:string_decoder';

/**
 * exceljs 4.4 turns every chunk of an inflated XML part into a string on its own (utils/parse-sax.js), so a
 * Chinese character split across two chunks (every 16–64 KB of a sheet) becomes U+FFFD and a long cell gains
 * garbage: 张三李���王五. This replaces that module, before exceljs loads it, with the same parser fed through a
 * StringDecoder. Imported first by platform/excel.ts (and so by the spreadsheet worker, whose reads it fixes);
 * without effect in a thread where exceljs was already loaded.
 */
const require = createRequire(import.meta.url);
const path = require.resolve('exceljs/lib/utils/parse-sax.js');
const fromExceljs = createRequire(path);
const { SaxesParser } = fromExceljs('saxes') as { SaxesParser: new () => SaxesLike };
const { PassThrough } = fromExceljs('readable-stream') as { PassThrough: new () => NodeJS.ReadWriteStream };

interface SaxesLike {
  on(event: 'error' | 'opentag' | 'text' | 'closetag', fn: (value: never) => void): void;
  write(chunk: string): void;
}

type SaxEvent = { eventType: 'opentag' | 'text' | 'closetag'; value: unknown };

async function* parseSax(input: AsyncIterable<Buffer | string> & { pipe?: unknown }): AsyncGenerator<SaxEvent[]> {
  let iterable = input;
  if (typeof input.pipe === 'function' && !(Symbol.asyncIterator in input))
    iterable = (input as unknown as NodeJS.ReadableStream).pipe(new PassThrough()) as unknown as AsyncIterable<Buffer>;
  const parser = new SaxesParser();
  const decoder = new StringDecoder('utf8');
  let error: unknown;
  let events: SaxEvent[] = [];
  parser.on('error', (err: never) => (error = err));
  parser.on('opentag', (value: never) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value: never) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value: never) => events.push({ eventType: 'closetag', value }));
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.end();
  if (rest) {
    parser.write(rest);
    if (error) throw error;
    yield events;
  }
}

if (!require.cache[path]) require(path);
const cached = require.cache[path];
if (cached) cached.exports = parseSax;
