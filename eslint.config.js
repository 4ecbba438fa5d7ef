import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'src/db/migrations/', 'tmp/', 'e2e/screenshots/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // core/ is pure: no I/O, no database, nothing of ours outside core/.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['../../modules/*', '../modules/*', '../../db/*', '../db/*', 'node:fs', 'node:net', 'pg', 'drizzle-orm', 'drizzle-orm/*'] },
      ],
    },
  },
  {
    // A module's store is private: another module reaches it through that module's service.ts
    // (or its api.ts of plain reads), never through its store.ts. From src/modules/A/x.ts any
    // `../B/store` names another module's store; `./store` stays allowed.
    files: ['src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../*/store',
                '../*/store.js',
                '../*/store.ts',
                '../../*/store',
                '../../*/store.js',
                '../../*/*/store',
                '../../*/*/store.js',
                '**/modules/*/store',
                '**/modules/*/store.js',
              ],
              message: "Another module's store is private to it: call a function of that module's service.ts (or api.ts) instead.",
            },
          ],
        },
      ],
    },
  },
);
