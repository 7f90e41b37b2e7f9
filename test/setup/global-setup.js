// Testing.app() and Testing.synthScope() leave `cdktf.outdir.*` folders in the temp directory on every run.
// Point every jest worker at one private temp directory (workers inherit the environment) and remove it after.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sre-platform-jest-"));
  process.env.SRE_PLATFORM_TEST_TMP = dir;
  process.env.TMPDIR = dir;
  // The Go tools the tests run (promtool above all: about half of jest's CPU) are short-lived and small; with the
  // garbage collector's default target (GOGC=100) they spend about a sixth of their CPU collecting. 400 trades
  // ~50 MB more per process for that time. A value set by the caller wins.
  process.env.GOGC ??= "400";
};
