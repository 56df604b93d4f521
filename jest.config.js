/** Jest runs the TypeScript tests with ts-jest against real PostgreSQL and Redis (see README "Tests"). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFiles: ['<rootDir>/test/support/no-network.ts'],
  testTimeout: 30000,
};
