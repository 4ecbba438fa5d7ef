// The compiled server reads its SQL migrations beside dist/db/connection.js.
import fs from 'node:fs';
fs.cpSync('src/db/migrations', 'dist/db/migrations', { recursive: true });
