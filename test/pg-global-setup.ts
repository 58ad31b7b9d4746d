import type { TestProject } from 'vitest/node';
import { startThrowawayPg } from './pg-cluster.js';

/**
 * For the 'postgres' test project: use DATABASE_URL if given, else start a throwaway
 * PostgreSQL cluster (fsync off) from the local binaries, and stop it afterwards.
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('pgUrl', process.env.DATABASE_URL);
    return;
  }
  const pg = startThrowawayPg({ prefix: 'qs-pg-', maxConnections: 200 });
  project.provide('pgUrl', pg.url);
  return () => pg.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}
