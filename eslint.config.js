import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const PAGE = ['app', 'store', 'components'];
const ABOVE_PROTOCOL = ['training', 'worker', ...PAGE, 'cli'];

/** `no-restricted-imports` options forbidding imports from the named src/ folders. */
function layers(who, folders, extra = []) {
  return {
    patterns: [
      {
        group: [...folders.map((f) => `**/${f}/**`), ...extra],
        message: `${who} may not import from ${folders.join(', ')} (arrows point down: see DESIGN.md).`,
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public/data', 'test-results', 'playwright-report'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2023, globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine, the parser, the settings, the protocol and the trainer run in Node, in workers and in
    // tests: keep the DOM out.
    files: ['src/engine/**', 'src/data/**', 'src/settings/**', 'src/protocol/**', 'src/training/**'],
    languageOptions: { globals: { ...globals.es2021 } },
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'fetch', 'self', 'navigator'],
    },
  },
  // Arrows point down only (DESIGN.md): engine → data below it; settings → engine, data; protocol →
  // engine, data; training → protocol; worker → training; the page (app, store, components) → settings,
  // protocol. A type-only import counts too: it decides who owns a type.
  {
    files: ['src/data/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        layers('data', ['engine', 'settings', 'protocol', ...ABOVE_PROTOCOL]),
      ],
    },
  },
  {
    files: ['src/engine/**'],
    rules: {
      'no-restricted-imports': ['error', layers('engine', ['settings', 'protocol', ...ABOVE_PROTOCOL])],
    },
  },
  {
    files: ['src/settings/**'],
    rules: { 'no-restricted-imports': ['error', layers('settings', ['protocol', ...ABOVE_PROTOCOL])] },
  },
  {
    files: ['src/protocol/**'],
    rules: { 'no-restricted-imports': ['error', layers('protocol', [...ABOVE_PROTOCOL])] },
  },
  {
    files: ['src/training/**'],
    rules: { 'no-restricted-imports': ['error', layers('training', ['worker', ...PAGE, 'cli'])] },
  },
  {
    files: ['src/worker/**'],
    rules: { 'no-restricted-imports': ['error', layers('worker', [...PAGE, 'cli'])] },
  },
  {
    files: ['src/app/**', 'src/store/**', 'src/components/**'],
    rules: { 'no-restricted-imports': ['error', layers('page', ['training', 'worker', 'cli'])] },
  },
  {
    // The bridge carries messages and knows no store (routeEvents.ts puts events into the stores).
    files: ['src/app/bridge.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        layers('bridge', ['training', 'worker', 'cli', 'store', 'components']),
      ],
    },
  },
);
