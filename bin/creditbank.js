#!/usr/bin/env node
// Runs the compiled CLI when the project has been built, else the TypeScript source through tsx.
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/cli/index.js`;
const source = `${root}src/cli/index.ts`;
let mod;
if (fs.existsSync(source)) {
  const { tsImport } = await import('tsx/esm/api');
  mod = await tsImport(pathToFileURL(source).href, import.meta.url);
} else {
  mod = await import(pathToFileURL(built).href);
}
process.exitCode = await mod.run(process.argv.slice(2));
