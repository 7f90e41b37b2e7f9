import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSloFiles, loadSloFilesWithWarnings } from "../../../lib/slo/load";
import { SloError } from "../../../lib/slo/model";

const SPECS = join(__dirname, "../../../environments/slos");
const ENVS = ["dev", "staging", "prod"];

function errorsOf(fn: () => unknown): SloError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SloError) return e;
    throw e;
  }
  throw new Error("expected an SloError");
}

describe("loadSloFiles", () => {
  it.each(ENVS)("loads the platform's own SLOs for %s, covering all four SLI kinds", (environment) => {
    const defs = loadSloFiles([SPECS], { environment, knownEnvironments: ENVS });
    expect(new Set(defs.map((d) => d.sli.kind))).toEqual(new Set(["events", "raw", "latency", "availability"]));
    expect(defs.map((d) => d.id)).toEqual(["checkout-api-availability", "checkout-api-latency", "payments-worker-job-success", "payments-worker-up"]);
    const pagesOff = defs.filter((d) => d.alerting.page.disabled).length;
    expect(pagesOff).toBe(environment === "dev" ? 4 : 0);
  });

  it("lower objectives in dev than in prod", () => {
    const prod = loadSloFiles([SPECS], { environment: "prod" });
    const dev = loadSloFiles([SPECS], { environment: "dev" });
    prod.forEach((p, i) => expect(dev[i]!.objective).toBeLessThanOrEqual(p.objective));
  });

  const dir = mkdtempSync(join(tmpdir(), "slo-load-"));
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const spec = (service: string, objective = 99) =>
    `version: sre-platform/v1\nservice: ${service}\nslos:\n  - name: up\n    objective: ${objective}\n    sli:\n      availability:\n        gaugeQuery: up{job="${service}"}\n`;

  it("fails when two files define the same SLO id, naming both files", () => {
    const a = write("a.yaml", spec("api"));
    const b = write("b.yaml", spec("api"));
    const e = errorsOf(() => loadSloFiles([a, b]));
    expect(e.diagnostics).toEqual([
      expect.objectContaining({ file: b, slo: "api-up", field: "slos[0].name", message: expect.stringContaining(`duplicate SLO id "api-up": already defined at ${a} (slos[0].name)`) }),
    ]);
  });

  it("fails when a file is missing, and still reports the problems of the other files", () => {
    const bad = write("bad.yaml", spec("web", 100));
    const e = errorsOf(() => loadSloFiles([join(dir, "nope.yaml"), bad]));
    expect(e.diagnostics.map((d) => [d.file, d.field, d.message.slice(0, 30)])).toEqual([
      [join(dir, "nope.yaml"), undefined, "cannot read file: no such file"],
      [bad, "slos[0].objective", "objective must be a percentage"],
    ]);
  });

  it("fails when no files are given", () => {
    expect(() => loadSloFiles([])).toThrow(/no SLO files given/);
  });

  it("returns warnings separately from definitions", () => {
    const w = write("sloth.yaml", "version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    interval: {all: 1m}\n    sli:\n      raw:\n        error_ratio_query: sum(rate(e{namespace=\"s\"}[{{.window}}]))\n    alerting:\n      name: A\n");
    const r = loadSloFilesWithWarnings([w]);
    expect(r.definitions).toHaveLength(1);
    expect(r.warnings.map((d) => d.field)).toEqual(["slos[0].interval"]);
    expect(r.files).toEqual([w]);
  });
});
