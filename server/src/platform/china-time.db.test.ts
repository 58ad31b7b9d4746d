import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb } from '../../../test/harness.js';
import type { Db } from '../db/db.js';
import { SQL_TODAY_IN_CHINA, todayInChina } from './china-time.js';

// CURRENT_DATE follows the database session's zone. For every instant, a session at UTC−12 or at UTC+14 is on
// another date than China, so a query on CURRENT_DATE fails one of these; SQL_TODAY_IN_CHINA holds in both.
let db: Db;
beforeAll(async () => {
  db = await freshDb();
});
afterAll(async () => {
  await db.close();
});

describe("today in China inside SQL, whatever the session's zone", () => {
  for (const zone of ['-12:00', '+14:00', '+00:00']) {
    it(`is the server's todayInChina() at UTC${zone}`, async () => {
      const r = await db.tx(async (q) => {
        await q.query(`SET LOCAL TIME ZONE INTERVAL '${zone}' HOUR TO MINUTE`);
        return (await q.query<{ d: string; at: Date }>(`SELECT ${SQL_TODAY_IN_CHINA}::text AS d, now() AS at`)).rows[0];
      });
      expect(r?.d).toBe(todayInChina(new Date(r?.at ?? 0)));
    });
  }
});
