// Prepares the W3C suites in $W3C_SUITES for an offline run: points their GitHub-only
// dependencies at the sibling checkouts (same repositories, fetched beforehand) and installs the
// rest from the npm registry. Run once: `npm run conformance:setup`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SUITES, suitesDir } from './suites.js';

const root = suitesDir();
const local: Record<string, string> = {
  'vc-test-suite-implementations': 'vc-test-suite-implementations',
  'data-integrity-test-suite-assertion': 'data-integrity-test-suite-assertion',
};
for (const dir of [...Object.values(local), ...SUITES.map((s) => s.dir)]) {
  const file = path.join(root, dir, 'package.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: get the suites first (docs/conformance.md)`);
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  let changed = false;
  for (const deps of [pkg.dependencies, pkg.devDependencies].filter(Boolean)) {
    for (const [name, spec] of Object.entries(deps)) {
      if (String(spec).startsWith('github:') && local[name]) {
        deps[name] = `file:../${local[name]}`;
        changed = true;
      }
    }
  }
  if (changed) fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}
for (const s of SUITES) {
  console.log(`npm install in ${s.dir}`);
  // --install-links copies the sibling checkouts in, so that they find the suite's localConfig.cjs.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--install-links'], { cwd: path.join(root, s.dir), stdio: 'inherit' });
}
