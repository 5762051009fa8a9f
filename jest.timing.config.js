/**
 * The timing tests (test/timing/): the platform's request limit measured at the emulator's clock.
 * They run after the other suites, one file at a time, so that the machine is not oversubscribed
 * by unrelated suites while requests are timed (a CPU-starved emulator stamps arrivals late).
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/timing'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
};
