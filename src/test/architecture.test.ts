// docs/architecture.md describes every folder of src/modules and src/core: a new one without its
// line fails here, and so does a line for a folder that is gone.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const doc = fs.readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
const folders = (dir: string) =>
  fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `${dir}/${d.name}/`);

describe('docs/architecture.md', () => {
  it('has a line for every module and every part of core, and none for a folder that is gone', () => {
    const actual = [...folders('src/core'), ...folders('src/modules')].sort();
    const listed = [...doc.matchAll(/^\| `(src\/(?:core|modules)\/[^`]+\/)` \|/gm)].map((m) => m[1]!).sort();
    expect(
      actual.filter((f) => !listed.includes(f)),
      'folders without a line in docs/architecture.md',
    ).toEqual([]);
    expect(
      listed.filter((f) => !actual.includes(f)),
      'lines for folders that do not exist',
    ).toEqual([]);
  });
});
