// V8 compiles WebAssembly quickly first and recompiles a function for speed once it has run a
// while. In a process that had just done a long stretch of JavaScript (100,000 degree audits),
// PGlite's queries then ran up to 40 times slower for minutes (a cohort audit from the database:
// about 1,800 instead of 3,800 learners per second). Compiling PGlite for speed from the start
// costs about 0.7 s once per process; tests, which start many short processes, go without. It must
// run before PGlite is imported, which compiles its module.
import v8 from 'node:v8';

if (process.env.NODE_ENV !== 'test') v8.setFlagsFromString('--no-wasm-dynamic-tiering');
