// `npm run lint:cycles`: fails when modules under src/ import each other in a circle.
// Type-only imports are left out: they vanish when TypeScript compiles and cannot
// change the order in which modules are evaluated.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module must not import itself through a chain of other modules; break the circle by moving the shared part into its own file.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
