// The web client is typed by the server's contract: web/src/api/schema.d.ts (and docs/openapi.json)
// are generated from the routes' zod schemas. A route changed without regenerating them fails here.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_JSON, SCHEMA_TS, renderContract } from '../../scripts/openapi-lib.js';

const STALE = "is stale: the routes' schemas changed. Run `npm run openapi` and commit the result.";

describe('the OpenAPI contract', () => {
  it('is committed as generated (docs/openapi.json, web/src/api/schema.d.ts)', async () => {
    const { json, types } = await renderContract();
    const committedJson = fs.existsSync(OPENAPI_JSON) ? fs.readFileSync(OPENAPI_JSON, 'utf8') : '';
    const committedTypes = fs.existsSync(SCHEMA_TS) ? fs.readFileSync(SCHEMA_TS, 'utf8') : '';
    expect(committedJson === json, `docs/openapi.json ${STALE}`).toBe(true);
    expect(committedTypes === types, `web/src/api/schema.d.ts ${STALE}`).toBe(true);
  }, 300_000); // builds the whole app on a fresh in-memory database
});
