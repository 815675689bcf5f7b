// Jest runs the TypeScript sources as ES modules through ts-jest.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: ['**/__tests__/**/*.test.ts'],
  // Stryker's sandboxes (.stryker-tmp, or another --tempDirName that starts so) hold a copy of the suites.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/\\.stryker-tmp'],
  modulePathIgnorePatterns: ['<rootDir>/\\.stryker-tmp'],
  // Builds dist/ when it is not built from the current sources (the end-to-end suites spawn it).
  globalSetup: './script/jest-global-setup.mjs',
  testTimeout: 60000
};
