/** Jest runs the TypeScript tests with ts-jest against real PostgreSQL and Redis (see README "Tests"). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFiles: ['<rootDir>/test/support/no-network.ts'],
  testTimeout: 30000,
  // The suite starts real servers and service processes; a test that fails half-way may leave one
  // running. The run must still end (and report the failure) instead of waiting for it.
  forceExit: true,
};
