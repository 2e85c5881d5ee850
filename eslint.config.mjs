// Lint rules. The important one: only the adapter layer (src/vscode/) and the composition root
// (src/extension.ts) may import 'vscode'; everything else must run in plain Node.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'packages/*/dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.vscode-test/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: "Only src/vscode/ and src/extension.ts may import 'vscode'; keep core logic editor-free.",
            },
          ],
        },
      ],
    },
  },
  {
    // Type-aware rules on the product code: promises nobody awaits, promises passed where a void
    // callback is expected, `any` leaking from JSON. The project service picks the nearest tsconfig
    // (src/webview has its own, with the DOM's types).
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // An abort rejects with signal.reason and a .catch hands the caught error on, as fetch does.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // `async` without `await` implements a Promise-returning interface synchronously (better-sqlite3,
      // VS Code callbacks) and still turns a throw into a rejection, which callers rely on.
      '@typescript-eslint/require-await': 'off',
      // Unknown JSON becomes text through textOf (src/core/text.ts), never "[object Object]".
      '@typescript-eslint/no-base-to-string': 'error',
    },
  },
  {
    // The adapter layer, the composition root and the tests that run inside the editor.
    files: ['src/vscode/**/*.ts', 'src/extension.ts', 'test/editor/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Layout is Prettier's (npm run format); no lint rule argues with it.
  prettier,
);
