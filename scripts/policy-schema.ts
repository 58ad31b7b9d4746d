/**
 * Write policies/policy.schema.json from the zod schemas of the policy document (policyJsonSchema in
 * server/src/modules/policies/policy.format.ts). `npm run docs:policy-schema` writes it; policy.loader.unit.test.ts
 * fails when the file is out of date (e.g. after a merge that added a top-level key).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyJsonSchema } from '../server/src/modules/policies/policy.format.js';

const path = resolve(fileURLToPath(new URL('../policies/policy.schema.json', import.meta.url)));
writeFileSync(path, `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path}`);
