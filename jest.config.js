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
  // Jest's default is one worker fewer than the cores: on a 2-core CI machine that is ONE worker, and the suites
  // run one after another while promtool's child processes are the only use of the second core.
  maxWorkers: "100%",
};
