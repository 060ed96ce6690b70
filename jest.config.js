// Three projects: the browser-side editors (jsdom), the Node backend, and end-to-end tests that drive the
// built plugin against real peers (Grafana's Go plugin client, moto, chromium). `npm test` runs all three.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2022' } }];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'frontend',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      transformIgnorePatterns: ['node_modules/(?!(ol|d3.*|internmap|delaunator|robust-predicates|marked|@grafana/.*|uuid|nanoid|react-colorful|rxjs)/)'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/shared/'],
      setupFilesAfterEnv: ['<rootDir>/jest.setup.frontend.js'],
      moduleNameMapper: { '\\.(css|scss|svg|png)$': '<rootDir>/jest.stub.js' },
    },
    {
      displayName: 'backend',
      testEnvironment: 'node',
      roots: ['<rootDir>/backend', '<rootDir>/src/shared'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/e2e'],
      testMatch: ['**/*.e2e.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      testTimeout: 120000,
    },
  ],
};
