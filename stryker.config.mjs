// Mutation testing (`npm run mutate`, not in CI: too slow for 2 cores) of the modules where a wrong line means a
// wrong verdict or a security hole (the sticky comment and its author check: editing or deleting someone else's
// comment). The summary of the last run is kept in reports/mutation/.
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { configFile: 'jest.stryker.config.js', enableFindRelatedTests: false },
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  coverageAnalysis: 'perTest',
  mutate: ['src/frontend/condition.ts', 'src/frontend/preprocess.ts', 'src/compare/*.ts', 'src/report/escape.ts', 'src/report/links.ts', 'src/github/sticky.ts', 'src/github/identity.ts'],
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always'
};
