/**
 * `sre-platform cost <env>` as users run it: real `node dist/bin/sre-platform.js cost` processes over the committed
 * environments (the expected figures are worked out from the environments' data and the price table, never read from
 * the command's own output), and its refused command lines.
 */
import { spawnSync } from "node:child_process";
import { CLI, ensureCliBuilt } from "../support/cli-dist";
import { ENVIRONMENTS } from "../../environments";
import { HOURS_PER_MONTH, PRICE_DATE, PRICES } from "../../lib/cost/prices";
import { CostUsageError, parseCostArgs } from "../../bin/cost";
import type { CostEstimate } from "../../lib/cost/sizing";

function cost(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, "cost", ...args], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(ensureCliBuilt, 200_000);

describe("sre-platform cost", () => {
  test.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s: the sizing table, from the configuration, with the dated prices and the budget", (name, config) => {
    const r = cost(name);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout.split("\n")[0]).toBe(`${name} (${config.region}): estimated monthly cost in US dollars, on-demand list prices of ${PRICE_DATE} (lib/cost/prices.ts); an estimate, not a quote`);
    for (const g of config.cluster.nodeGroups) {
      const capacity = g.capacityType === "SPOT" ? "spot (priced at on-demand: at most this)" : "on-demand";
      expect(r.stdout).toMatch(new RegExp(`^  node group ${g.name} +${g.desiredSize} .*${g.instanceTypes.join(", ").replace(/\./g, "\\.")}; ${capacity.replace(/[()]/g, "\\$&")}; min ${g.minSize} / desired ${g.desiredSize} / max ${g.maxSize}`, "m"));
    }
    const nat = config.network.natGateways === "per-az" ? config.network.azCount : 1;
    const p = PRICES[config.region]!;
    const natMonthly = ((p.natGatewayHour + p.publicIpv4Hour) * HOURS_PER_MONTH * nat).toFixed(2);
    expect(r.stdout).toMatch(new RegExp(`^  NAT gateways +${nat} +${natMonthly.replace(".", "\\.")} `, "m"));
    expect(r.stdout).toMatch(new RegExp(`^  interface endpoints +${config.network.interfaceEndpoints.length * config.network.azCount} `, "m"));
    expect(r.stdout).toMatch(/^  EKS control plane +1 +73\.00 +73\.00 /m);
    expect(r.stdout).toContain(`budget: ${config.cost!.budget.monthlyLimitUsd.toLocaleString("en-US", { minimumFractionDigits: 2 })} a month (user:Environment$${name})`);
    expect(r.stdout).toMatch(/^total +[\d,]+\.\d\d +[\d,]+\.\d\d$/m);
  }, 60_000);

  test("--format json: the same estimate as data", () => {
    const r = cost("prod", "--format", "json");
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as CostEstimate;
    const prod = ENVIRONMENTS.find((c) => c.name === "prod")!;
    expect(e.environment).toBe("prod");
    expect(e.lines.filter((l) => l.section === "nodes").map((l) => [l.component, l.count])).toEqual(prod.cluster.nodeGroups.map((g) => [`node group ${g.name}`, g.desiredSize]));
    expect(e.monthlyUsd).toBeCloseTo(e.lines.reduce((n, l) => n + (l.monthlyUsd ?? 0), 0), 2);
    expect(e.budget?.monthlyLimitUsd).toBe(prod.cost!.budget.monthlyLimitUsd);
  }, 60_000);

  test.each<[string[], string]>([
    [["prd"], 'sre-platform: unknown environment "prd" (did you mean "prod"?); allowed: dev, staging, prod\n'],
    [[], "sre-platform: cost takes one environment, got none; allowed: dev, staging, prod\n"],
    [["dev", "--format", "yaml"], 'sre-platform: invalid --format "yaml"; allowed: text, json\n'],
    [["dev", "--fromat", "json"], 'sre-platform: unknown option --fromat (did you mean "--format"?); allowed: --format, --help\n'],
  ])("%j is refused with one line and exit 2", (args, message) => {
    expect(cost(...args)).toEqual({ code: 2, stdout: "", stderr: message });
  }, 60_000);

  test("--help", () => {
    const r = cost("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: sre-platform cost <environment> \[--format text\|json\]/);
  }, 60_000);
});

describe("parseCostArgs", () => {
  test("two environments are refused", () => {
    expect(() => parseCostArgs(["dev", "prod"], ["dev", "prod"])).toThrow(new CostUsageError("cost takes one environment, got dev prod; allowed: dev, prod"));
  });
});
