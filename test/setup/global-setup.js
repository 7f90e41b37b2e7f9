// Testing.app() and Testing.synthScope() leave `cdktf.outdir.*` folders in the temp directory on every run.
// Point every jest worker at one private temp directory (workers inherit the environment) and remove it after.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sre-platform-jest-"));
  process.env.SRE_PLATFORM_TEST_TMP = dir;
  process.env.TMPDIR = dir;
};
