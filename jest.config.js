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
  // run one after another while promtool's child processes are the only use of the second core. One worker more
  // than the cores: the end-to-end suites spend most of their time waiting on real Prometheus and Alertmanager
  // servers' clocks, and a third worker runs other suites meanwhile. Measured on 2 cores (211 suites): 2 workers
  // 187-193 s, 3 workers 152 s, 4 workers 166 s.
  maxWorkers: require("node:os").availableParallelism() + 1,
};
