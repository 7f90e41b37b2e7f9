/**
 * One snapshot file per stack, `__snapshots__/<stack>.tf.snapshot`, of the Terraform JSON `npm run synth`
 * writes, with Helm values and add-on configuration shown parsed (test/support/readable-terraform.ts), so a
 * reviewer reads a small diff per stack. Accepting a change (`npx jest test/stacks -u`) cannot silently change
 * what matters most: test/stacks/invariants.test.ts asserts it by name, from the environments' data.
 * (Not `.snap`: jest would take such files for snapshots of a missing test file and delete them on `-u`.)
 */
import "jest-specific-snapshot";
import * as path from "node:path";
import { readableStack } from "../support/readable-terraform";
import { synthesizedManifest, synthesizedStack } from "../support/synthesized-app";

const stackIds = Object.keys(synthesizedManifest().stacks).sort();

test("every stack of every environment is snapshotted", () => {
  expect(stackIds.length).toBeGreaterThanOrEqual(12);
});

test.each(stackIds)("%s matches its snapshot", (id) => {
  expect(readableStack(synthesizedStack(id))).toMatchSpecificSnapshot(path.join(__dirname, "__snapshots__", `${id}.tf.snapshot`));
});
