/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // content-disposition (used by @fastify/static for /docs) ships ESM only; jest on Node 20 needs it as CommonJS.
    '^.+/node_modules/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' } }],
    // @nestjs/terminus is ESM only too, and uses import.meta (see the transform).
    '^.+/node_modules/@nestjs/terminus/.+\\.js$': '<rootDir>/test/support/esm-package-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/|@nestjs/terminus/)'],
  setupFiles: ['reflect-metadata'],
  // Probes PostgreSQL once: its suites run when it answers, fail the run under CI=true when it does not, skip otherwise.
  globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
  testTimeout: 30000,
};
