// `npm run openapi`: writes docs/openapi.json and web/src/api/schema.d.ts from the app's routes.
import fs from 'node:fs';
import path from 'node:path';
import { OPENAPI_JSON, SCHEMA_TS, renderContract } from './openapi-lib.js';

const { json, types } = await renderContract();
for (const [file, text] of [
  [OPENAPI_JSON, json],
  [SCHEMA_TS, types],
] as const) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (before === text) console.log(`unchanged ${path.relative(process.cwd(), file)}`);
  else {
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
