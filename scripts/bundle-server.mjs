// After tsc: the server's entry (dist/main.js) and what it imports, our modules and most dependencies,
// rewritten as one file, so a start reads one file instead of a thousand (issue 19: second start < 3 s).
// The CLI (dist/cli) and the tests keep the module-per-file output. Left outside the bundle: packages
// that load files beside their own code (PGlite's WebAssembly, swagger-ui's and the web app's assets),
// native addons, and what the server imports only when it is asked for (spreadsheets, PDF, SAML).
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/main.js'],
  outfile: 'dist/main.js',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: [
    '@electric-sql/pglite',
    '@node-rs/*',
    '@fastify/static',
    '@fastify/swagger-ui',
    '@node-saml/*',
    'exceljs',
    'pdfkit',
    'fontkit',
    'pino',
    'pino-*',
    'thread-stream',
    'pg-native',
  ],
  // CommonJS dependencies inside an ES module still call require()
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
});
