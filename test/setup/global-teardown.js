const fs = require("node:fs");

module.exports = async () => {
  const dir = process.env.SRE_PLATFORM_TEST_TMP;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
