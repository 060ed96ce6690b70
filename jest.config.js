// Three projects: the browser-side editors (jsdom), the Node backend, and end-to-end tests that drive the
// built plugin against real peers (Grafana's Go plugin client, moto, chromium). `npm test` runs all three.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  // One generous limit for every test and hook, so a slow, loaded 2-core machine never fails a test for time;
  // it only ends a test that hangs. No file sets its own, shorter limit.
  testTimeout: 20 * 60_000,
  projects: [
    {
      displayName: 'frontend',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      // .mjs too: d3 and others ship ES modules only, which @grafana/data imports.
      transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
      transformIgnorePatterns: [
        'node_modules/(?!(ol|d3.*|internmap|delaunator|robust-predicates|marked|@grafana/.*|uuid|nanoid|react-colorful|rxjs|@react-hookz|@ver0/deep-equal|react-calendar|get-user-locale|memoize|mimic-function|@wojtekmaj/date-utils)/)',
      ],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/shared/'],
      setupFilesAfterEnv: ['<rootDir>/jest.setup.frontend.js'],
      moduleNameMapper: { '\\.(css|scss|svg|png)$': '<rootDir>/jest.stub.js' },
    },
    {
      displayName: 'backend',
      testEnvironment: 'node',
      roots: ['<rootDir>/backend', '<rootDir>/src/shared'],
      testMatch: ['**/*.test.ts'],
      // .proto files are imported as text (esbuild's text loader in the bundle).
      transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.proto$': '<rootDir>/backend/protocol/proto/jest-transform.cjs' },
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/e2e'],
      testMatch: ['**/*.e2e.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
    },
  ],
};
