// npm start: build the web UI only when web/dist is missing or older than its sources.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

const built = 'web/dist/index.html';
const sources = Math.max(newest('web/src'), statSync('web/index.html').mtimeMs, newest('server/src/platform'));
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.log('构建前端界面…');
  execSync('npx vite build --config web/vite.config.ts', { stdio: 'inherit' });
}
