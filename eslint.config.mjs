import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * The backend's layers: each folder may import only what lies below it (ARCHITECTURE.md: "no folder imports
 * one above it"), so no import cycle can come back. `scripts/check-cycles.mjs` checks the whole graph too.
 * Each entry: folder -> folders (or modules) it must not import; `!` keeps an exception.
 */
const BACKEND_LAYERS = {
  frames: ['aws', 'http', 'settings', 'query', 'handlers', 'instances', 'protocol', 'log', 'redaction'],
  settings: ['aws', 'http', 'query', 'handlers', 'instances', 'frames', 'protocol', '!protocol/types'],
  // aws reads error bodies with the XML reader (a leaf: it imports only errors).
  aws: ['http', 'query', 'handlers', 'instances', 'protocol', 'frames', '!query/parse/xml'],
  http: ['query', 'handlers', 'instances', 'protocol', 'frames'],
  query: ['handlers', 'instances', 'protocol', 'settings/parse', 'settings/awsServer'],
  instances: ['handlers', 'query', 'frames', 'protocol', '!protocol/types'],
  handlers: [
    'instances',
    '!instances/types',
    '!instances/testing',
    'protocol',
    '!protocol/types',
    'settings/parse',
    'settings/awsServer',
  ],
  protocol: ['handlers', 'instances', 'query', 'http', 'aws', 'settings'],
};
const ALWAYS_ABOVE = ['plugin', 'main'];

/**
 * gitignore-style patterns; a folder with an exception is matched by its contents only, and a deeper
 * exception re-includes its parent folders too (a matched folder's contents cannot be re-included).
 */
function importPatterns(targets) {
  const excepted = new Set(targets.filter((t) => t.startsWith('!')).map((t) => t.slice(1).split('/')[0]));
  return targets.flatMap((t) => {
    if (!t.startsWith('!')) return excepted.has(t) ? [`**/${t}/**`] : [`**/${t}`, `**/${t}/**`];
    const parts = t.slice(1).split('/');
    return parts.slice(1).map((_, i) => `!**/${parts.slice(0, i + 2).join('/')}`);
  });
}

const backendLayerRules = [
  ...Object.entries(BACKEND_LAYERS).map(([folder, targets]) => ({
    files: [`backend/${folder}/**/*.ts`],
    // Tests may put layers together (e.g. decode a message, then parse its settings).
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: importPatterns([
                ...targets.filter((t) => !t.startsWith('!')),
                ...ALWAYS_ABOVE,
                ...targets.filter((t) => t.startsWith('!')),
              ]),
              message: `backend/${folder} may not import a layer above it (see BACKEND_LAYERS in eslint.config.mjs)`,
            },
          ],
        },
      ],
    },
  })),
  {
    // The answer readers are a layer of their own below aws and http (aws reads error bodies with the XML
    // reader): they import no other backend folder but frames' model, and nothing else of query.
    files: ['backend/query/parse/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: importPatterns([...Object.keys(BACKEND_LAYERS).filter((f) => f !== 'frames'), ...ALWAYS_ABOVE]),
              message: 'backend/query/parse may not import a layer above it (see eslint.config.mjs)',
            },
            {
              regex: '^\\.\\./(?!\\.\\./)',
              message: 'backend/query/parse lies below the rest of query: it may not import it',
            },
          ],
        },
      ],
    },
  },
  {
    // The leaves every layer uses: they import no backend folder at all.
    files: [
      'backend/errors.ts',
      'backend/redaction.ts',
      'backend/log.ts',
      'backend/version.ts',
      'backend/guardedJson.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: importPatterns([...Object.keys(BACKEND_LAYERS), ...ALWAYS_ABOVE]),
              message: 'errors, redaction, log, version and guardedJson are leaves: they import no backend folder',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'build/**',
      '.cache/**',
      'node_modules/**',
      'coverage/**',
      'e2e/.bin/**',
      'e2e/.work/**',
      'e2e/grafana-host/**',
      '.venv/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      // The frontend runs in the browser: Node modules and the backend stay out of it.
      'no-restricted-imports': ['error', { patterns: ['node:*', '**/backend/**'] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'react',
            'react-dom',
            '@grafana/ui',
            '@grafana/runtime',
            '**/backend/**',
            '../components/**',
          ],
        },
      ],
    },
  },
  ...backendLayerRules,
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['*.js', '*.cjs', 'scripts/**/*.js'],
    languageOptions: { globals: { ...globals.node }, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
