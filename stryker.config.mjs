// Mutation testing (`npm run mutate`, not in CI: too slow for 2 cores) of the modules where a wrong line means a
// wrong verdict or a security hole (the sticky comment and its author check: editing or deleting someone else's
// comment). Run it one module at a time on a shared machine, e.g.
//   npx stryker run --mutate src/frontend/condition.ts --concurrency 1
// The JSON report goes to reports/mutation/ (ignored by git: the scores are recorded in the closing notes).
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { configFile: 'jest.stryker.config.js', enableFindRelatedTests: true },
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  coverageAnalysis: 'perTest',
  mutate: ['src/frontend/condition.ts', 'src/frontend/preprocess.ts', 'src/compare/*.ts', 'src/report/escape.ts', 'src/report/links.ts', 'src/github/sticky.ts', 'src/github/identity.ts'],
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  // Jest with --experimental-vm-modules keeps every module it re-imports: a worker reused for a whole run grew to
  // 3.8 GB and stalled in garbage collection. A fresh worker every 30 mutants keeps runs bounded.
  maxTestRunnerReuse: 30,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always'
};
