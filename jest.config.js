/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { "^.+\\.ts$": "ts-jest" },
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
};
