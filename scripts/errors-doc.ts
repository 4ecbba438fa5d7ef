// Writes docs/errors.md from the registry of error codes (src/error-codes.ts): `npm run docs:errors`.
import { writeFileSync } from 'node:fs';
import { errorCodesMarkdown } from '../src/error-codes.js';

writeFileSync(new URL('../docs/errors.md', import.meta.url), errorCodesMarkdown());
