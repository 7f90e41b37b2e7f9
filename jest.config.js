/** Jest only transpiles (isolatedModules); `npm run typecheck` type-checks the whole tree once. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  moduleFileExtensions: ["ts", "js", "json"],
  globalSetup: "<rootDir>/test/setup/global-setup.js",
  globalTeardown: "<rootDir>/test/setup/global-teardown.js",
  setupFilesAfterEnv: ["<rootDir>/test/setup/cdktf-matchers.ts"],
  testTimeout: 60000,
};
