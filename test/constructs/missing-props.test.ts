import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import * as api from "../../index";
import { ValidationError } from "../../constructs/common/validation";

/** Every construct the package exports, except stacks (they take validated configuration, not props). */
const constructs = Object.entries(api).filter(
  ([, value]) => typeof value === "function" && value.prototype instanceof Construct && !(value.prototype instanceof TerraformStack),
) as Array<[string, new (scope: Construct, id: string, props: unknown) => Construct]>;

/** Constructs whose every prop is optional, or that report problems as synth annotations (SloRules). */
const NOTHING_REQUIRED = new Set(["SecureBucket", "StorageClasses", "SloRules"]);

test("the package exports the constructs this test walks", () => {
  expect(constructs.map(([name]) => name)).toEqual(expect.arrayContaining(["Network", "EksCluster", "Storage", "KmsKey", "Karpenter", "ClusterAccess", "SloRules"]));
});

describe.each(constructs.filter(([name]) => !NOTHING_REQUIRED.has(name)))("%s from JavaScript", (name, Class) => {
  test.each([
    ["no props at all", undefined],
    ["an empty props object", {}],
  ])("fails with a ValidationError naming the missing props when given %s", (_how, props) => {
    const stack = new TerraformStack(Testing.app(), "js");
    let error: unknown;
    try {
      new Class(stack, "X", props);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^js\/X: \w+: got nothing; allowed: /m);
    expect(message).not.toMatch(/Cannot read|undefined \(reading|got \[\]/);
    // No object dump: Node prints an uncaught error's own enumerable fields after its message.
    expect(Object.keys(error as object).filter((k) => k !== "name")).toEqual([]);
    // No stack frames: an uncaught ValidationError prints its message alone.
    expect((error as Error).stack).toBe(`ValidationError: ${message}`);
    void name;
  });
});
