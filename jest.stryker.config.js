// Jest for `npm run mutate` (StrykerJS): the unit suites that exercise the mutated modules, without the global
// setup (a mutant lives in Stryker's sandbox; rebuilding dist/ for each would test nothing more) and without the
// end-to-end suites that spawn dist/.
import base from './jest.config.js';

export default {
  ...base,
  globalSetup: undefined,
  // The sandbox itself lives under .stryker-tmp/, which the main configuration ignores.
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testMatch: [
    '**/__tests__/condition.test.ts',
    '**/__tests__/preprocess.test.ts',
    '**/__tests__/compare.test.ts',
    '**/__tests__/compare-transitions.test.ts',
    '**/__tests__/compare-facts.test.ts',
    '**/__tests__/sticky.test.ts',
    '**/__tests__/escape.test.ts',
    '**/__tests__/identity.test.ts',
    '**/__tests__/line-breaks.test.ts',
    '**/__tests__/report.test.ts',
    '**/__tests__/hostile-report.test.ts'
  ]
};
