/**
 * The synth writes each environment's restore drill, and refuses recovery objectives its schedules cannot meet: one line
 * naming the environment's file and the field, exit 1, nothing written.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { ENVIRONMENTS, environmentSources, loadEnvironments } from "../../environments";
import type { EnvironmentConfig } from "../../lib/config/environment-schema";
import { restoreDrill } from "../../lib/backup/restore-drill";
import { runSynth } from "../../stacks/synth";
import { buildEnvironment } from "../../stacks/environment-stacks";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dr-artifacts-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function synthWith(replace: EnvironmentConfig, out: string): { code: number; stderr: string } {
  const inputs = ENVIRONMENTS.map((e) => (e.name === replace.name ? replace : e));
  const source = { load: (names?: readonly string[]) => loadEnvironments(names, inputs), names: inputs.map((e) => e.name), sources: environmentSources(inputs) };
  const errors: string[] = [];
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (errors.push(String(chunk)), true));
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    return { code: runSynth(["--env", replace.name, "--out", out], {}, source), stderr: errors.join("") };
  } finally {
    stderr.mockRestore();
    stdout.mockRestore();
  }
}

const prod = ENVIRONMENTS.find((e) => e.name === "prod")!;

describe("disaster-recovery artifacts of the synth", () => {
  test("writes cdktf.out/dr/<env>/restore-drill.md from the environment's configuration", () => {
    const out = path.join(tmp, "ok");
    const r = synthWith(prod, out);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(fs.readFileSync(path.join(out, "dr/prod/restore-drill.md"), "utf8")).toBe(restoreDrill(prod, "environments/prod.ts"));
  });

  test.each<[string, EnvironmentConfig, RegExp]>([
    [
      "an RPO shorter than the backup interval",
      { ...prod, backup: { ...prod.backup!, rpoHours: 3 } },
      /^environments\/prod\.ts: environment "prod": backup\.velero\.schedules: got \{.*\}; allowed: schedules that together run at least every 3h \(backup\.rpoHours\); these leave up to 6h between backups$/m,
    ],
    [
      "a retention shorter than the RPO window",
      { ...prod, backup: { ...prod.backup!, rpoHours: 48, velero: { ...prod.backup!.velero, schedules: { ...prod.backup!.velero.schedules, "every-6h": { cron: "0 */6 * * *", retentionDays: 1 } } } } },
      /^environments\/prod\.ts: environment "prod": backup\.velero\.schedules\.every-6h\.retentionDays: got 1; allowed: at least 2 day\(s\): a backup kept shorter than the RPO window \(2d\) leaves moments with no backup to restore$/m,
    ],
    [
      "a prod without an off-region copy",
      { ...prod, backup: { ...prod.backup!, awsBackup: { ...prod.backup!.awsBackup, offRegionCopy: undefined } } },
      /^environments\/prod\.ts: environment "prod": backup\.awsBackup\.offRegionCopy: got nothing; allowed: \{ region, retentionDays \} where protection\.preventDestroy is true/m,
    ],
  ])("refuses %s: one line naming the file and the field, exit 1, nothing written", (what, config, expected) => {
    const out = path.join(tmp, what.replace(/\W+/g, "-"));
    const r = synthWith(config, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  });
});

test("prod's Velero alerts hold its schedules to its RPO, in its tiers, in observability-resources", () => {
  const stacks = buildEnvironment(Testing.app(), prod);
  const manifests = Object.values(JSON.parse(Testing.synth(stacks["observability-resources"])).resource.kubernetes_manifest) as Array<{ manifest: Record<string, any> }>;
  const rule = manifests.map((m) => m.manifest).find((m) => m.kind === "PrometheusRule" && m.metadata.name === "velero-backups")!;
  const rules = Object.fromEntries(rule.spec.groups[0].rules.map((r: any) => [r.alert, r]));
  expect(rules.VeleroBackupOlderThanRpo.expr).toContain(`> ${prod.backup!.rpoHours * 3600}`);
  expect(rules.VeleroBackupOlderThanRpo.expr).toContain('schedule=~"velero-every-6h|velero-weekly"');
  expect(rules.VeleroBackupOlderThanRpo.labels.priority).toBe(prod.backup!.velero.alerts!.rpoMissed);
  expect(rules.VeleroBackupFailed.labels.priority).toBe(prod.backup!.velero.alerts!.failed);
});
