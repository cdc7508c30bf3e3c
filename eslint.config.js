// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // schema/ and examples/client/gql/ are generated (npm run codegen).
  // .stryker-tmp/ and reports/ are npm run mutation's sandbox and output.
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      'schema/',
      'examples/client/gql/',
      '.stryker-tmp/',
      'reports/',
      // The peer's own package (not this project's code) and a plain-CommonJS preload.
      'bench/mesh/',
      'bench/heapProbe.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
