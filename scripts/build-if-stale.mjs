// Before `npm start`: builds the server and the web app only when their sources are newer than the last
// build (or there is none), so every start after the first serves in a second or two.
// `npm run build` always builds (`--force`); `--check` only says what is stale (exit 1 when something is).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = ['package.json', 'package-lock.json', 'tsconfig.json'];
const parts = [
  {
    name: 'server',
    script: 'build:server',
    stamp: 'dist/.build-server',
    inputs: [...shared, 'tsconfig.build.json', 'scripts/copy-migrations.mjs', 'scripts/bundle-server.mjs', 'src'],
    skip: (p) => p.endsWith('.test.ts') || p.includes(`${path.sep}test${path.sep}`),
  },
  {
    name: 'web app',
    script: 'build:web',
    stamp: 'dist/.build-web',
    inputs: [...shared, 'web', 'src/core'], // the web app imports src/core (countries)
    skip: (p) => p.includes(`${path.sep}node_modules`) || p.endsWith('.test.ts'),
  },
];

/** The newest modification time under the inputs: files and directories (a deleted file changes its directory). */
function newest(inputs, skip) {
  let max = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (skip(p)) return;
    max = Math.max(max, st.mtimeMs);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
  };
  for (const i of inputs) visit(path.join(root, i));
  return max;
}

function stampTime(stamp) {
  try {
    return fs.statSync(path.join(root, stamp)).mtimeMs;
  } catch {
    return -1;
  }
}

const check = process.argv.includes('--check');
const force = process.argv.includes('--force');
let stale = 0;
for (const part of parts) {
  const built = stampTime(part.stamp);
  const changed = newest(part.inputs, part.skip);
  // the web build empties dist/web; the server build needs dist/main.js
  const output = part.name === 'server' ? 'dist/main.js' : 'dist/web/index.html';
  if (!force && built >= changed && fs.existsSync(path.join(root, output))) continue;
  stale++;
  const why = force ? 'npm run build' : built < 0 ? 'not built yet' : 'sources changed since the last build';
  if (check) {
    process.stdout.write(`${part.name}: ${why}\n`);
    continue;
  }
  process.stdout.write(`Building the ${part.name} (${why})…\n`);
  const started = new Date();
  const npm = process.env.npm_execpath;
  const r = npm
    ? spawnSync(process.execPath, [npm, 'run', '--silent', part.script], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', '--silent', part.script], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  // stamped with the time the build began: a file saved during the build is built next time
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, part.stamp), `${started.toISOString()}\n`);
  fs.utimesSync(path.join(root, part.stamp), started, started);
}
if (check) process.exit(stale ? 1 : 0);
