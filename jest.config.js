/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Tests whose assertions are about timing (request spacing at the emulator) run alone afterwards,
  // not while the other suites keep both CPUs busy: jest.timing.config.js.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/timing/'],
  transform: {
    '^.+\\.(ts|js|mjs|cjs)$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(openid-client|oauth4webapi|jose|@electric-sql|@fastify/cookie|cookie|content-disposition)/)'],
  testTimeout: 60000,
  maxWorkers: 2,
};
