// Lints main/, preload/, renderer/, tests/ and scripts/: typescript-eslint's recommended rules for
// TypeScript, eslint-plugin-vue's recommended rules for .vue single-file components, and the layers'
// import rules (layerRules, below).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', '.cache/', '.scratch/', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' },
    },
  },
  {
    files: ['**/*.{ts,vue,js}'],
    rules: {
      // TypeScript checks undefined names itself, with the right globals per environment.
      'no-undef': 'off',
      // Flags defensive initializers before try/catch; harmless, and TypeScript already checks
      // definite assignment.
      'no-useless-assignment': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Formatting rules would fight the existing code style; layout is left to the authors.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
    },
  },
  ...layerRules(),
);

/**
 * Layers: imports point down. renderer → contract; preload → contract (+ electron); app (the
 * Electron shell) → anything below it; cli → services, engine, server; server → services,
 * contract (and engine's errors); services → engine, the worker's protocol, contract; worker →
 * engine, contract; engine → the contract's domain types only; contract → zod only. Each folder
 * gets one no-restricted-imports block listing what it must not import; the patterns are regular
 * expressions over the import's text, which is relative (`../services/jobs`, or
 * `../../main/engine/errors` from outside main/). tests/static/layers.test.ts shows they bite.
 */
function layerRules() {
  /** A relative import of one of main/'s folders, from inside main/ (`../x`) or outside it (`../main/x`). */
  const mainFolder = (names) => `^(\\.\\./)+(main/)?(${names.join('|')})(/|$)`;
  /** The same from preload/ or renderer/, where main's folders are always reached through main/. */
  const mainFolderFromOutside = (names) => `^(\\.\\./)+main/(${names.join('|')})(/|$)`;
  const topFolder = (names) => `^(\\.\\./)+(${names.join('|')})(/|$)`;
  const electron = { regex: '^electron(/|$)', message: 'Only the Electron shell (main/app/) and the preload import electron.' };
  const upward = (who, names, from = mainFolder) => ({
    regex: from(names),
    message: `${who} must not import ${names.map((n) => `${n}/`).join(', ')}: imports point down the layers (see eslint.config.js).`,
  });
  const block = (files, patterns, extra = {}) => ({ files, ...extra, rules: { 'no-restricted-imports': ['error', { patterns }] } });
  return [
    block(['renderer/**/*.{ts,vue}'], [
      upward('The renderer', ['app', 'cli', 'engine', 'server', 'services', 'worker'], mainFolderFromOutside),
      upward('The renderer', ['preload'], topFolder),
      electron,
      { regex: '^node:', message: 'The renderer runs in a browser: no Node built-ins; ask the services through the contract.' },
    ], { ignores: ['renderer/vite.config.ts'] }),
    block(['preload/**/*.ts'], [
      upward('The preload', ['app', 'cli', 'engine', 'server', 'services', 'worker'], mainFolderFromOutside),
      upward('The preload', ['renderer'], topFolder),
    ]),
    block(['main/app/**/*.ts'], [upward('The Electron shell', ['preload', 'renderer'], topFolder)]),
    block(['main/cli/**/*.ts'], [
      upward('The command line', ['app', 'worker']),
      upward('The command line', ['preload', 'renderer'], topFolder),
      electron,
    ]),
    block(['main/server/**/*.ts'], [
      upward("Browser mode's server", ['app', 'cli', 'worker']),
      upward("Browser mode's server", ['preload', 'renderer'], topFolder),
      electron,
    ]),
    block(['main/services/**/*.ts'], [
      upward('The services', ['app', 'cli', 'server']),
      upward('The services', ['preload', 'renderer'], topFolder),
      { regex: '^(\\.\\./)+(main/)?worker(/(?!protocol$).*)?$', message: "The services talk to the worker through its protocol (main/worker/protocol.ts) only." },
      electron,
    ]),
    block(['main/worker/**/*.ts'], [
      upward('The worker', ['app', 'cli', 'server', 'services']),
      upward('The worker', ['preload', 'renderer'], topFolder),
      electron,
    ]),
    block(['main/engine/**/*.ts'], [
      upward('The engine', ['app', 'cli', 'server', 'services', 'worker']),
      upward('The engine', ['preload', 'renderer'], topFolder),
      {
        regex: '^(\\.\\./)+(main/)?contract(/(?!domain(/|$)).*)?$',
        message: "The engine may import the contract's domain types (main/contract/domain/) only, not the API in main/contract/index.ts.",
      },
      electron,
    ]),
    block(['main/contract/**/*.ts'], [
      { regex: '^(?!zod(/|$))[^.]', message: 'The contract imports only zod, so the preload and the renderer can load it.' },
      upward('The contract', ['app', 'cli', 'engine', 'server', 'services', 'worker']),
      upward('The contract', ['preload', 'renderer'], topFolder),
    ]),
  ];
}
