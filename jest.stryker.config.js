// Jest for `npm run mutate` (StrykerJS): only the fast unit suites of the mutated modules, without the global setup
// (a mutant lives in Stryker's sandbox; rebuilding dist/ for each would test nothing more) and without the suites
// that scan trees or spawn dist/ (each of those costs seconds per mutant). With `enableFindRelatedTests` (see
// stryker.config.mjs) a mutant runs only the suites that import its module, and of those only the tests that
// cover it. A module's behaviour that matters must therefore be held by these suites.
import base from './jest.config.js';

export default {
  ...base,
  globalSetup: undefined,
  // The sandbox itself lives under .stryker-tmp/, which the main configuration ignores.
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testMatch: [
    '**/__tests__/condition.test.ts',
    '**/__tests__/condition-parse.test.ts',
    '**/__tests__/preprocess.test.ts',
    '**/__tests__/preprocess-lines.test.ts',
    '**/__tests__/compare.test.ts',
    '**/__tests__/compare-transitions.test.ts',
    '**/__tests__/compare-facts.test.ts',
    '**/__tests__/sticky.test.ts',
    '**/__tests__/escape.test.ts',
    '**/__tests__/links.test.ts'
  ]
};
