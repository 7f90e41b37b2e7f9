/**
 * `sre-platform cost` over a configuration the synth would refuse: the same lines the synth prints, exit 1, nothing on
 * stdout. The environments module is replaced, in this file only, by one whose validation fails.
 */
import { main } from "../../bin/sre-platform";

jest.mock("../../environments", () => {
  const { ConfigError: Err } = jest.requireActual("../../lib/config/validate-environment");
  return {
    ENVIRONMENTS: [{ name: "dev" }],
    loadEnvironments: () => {
      throw new Err(new Map([["dev", [{ path: "cost.budget.monthlyLimitUsd", value: 0, allowed: "more than 0" }]]]), new Map([["dev", "environments/dev.ts"]]));
    },
  };
});

test("a configuration error is reported as the synth reports it: one line per problem, exit 1, nothing on stdout", () => {
  let out = "";
  let err = "";
  const code = main(["cost", "dev"], { out: (t) => (out += t), err: (t) => (err += t) });
  expect({ code, out }).toEqual({ code: 1, out: "" });
  expect(err).toBe('environments/dev.ts: environment "dev": cost.budget.monthlyLimitUsd: got 0; allowed: more than 0\n1 problem found in the configuration\n');
});
