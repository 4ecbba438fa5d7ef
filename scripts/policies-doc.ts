// Writes docs/policies.md from the policy table: `npx tsx scripts/policies-doc.ts`.
import { writeFileSync } from 'node:fs';
import { policiesMarkdown } from '../src/policies/docs.js';

writeFileSync(new URL('../docs/policies.md', import.meta.url), policiesMarkdown());
