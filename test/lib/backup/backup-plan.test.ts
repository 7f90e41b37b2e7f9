import { validateEnvironment } from "../../../lib/config/validate-environment";
import type { EnvironmentConfig } from "../../../lib/config/environment-schema";
import { prod } from "../../../environments/prod";
import { staging } from "../../../environments/staging";
import { dev } from "../../../environments/dev";

type Backup = NonNullable<EnvironmentConfig["backup"]>;
const withBackup = (base: EnvironmentConfig, change: (b: Backup) => Partial<Backup> | undefined): EnvironmentConfig => ({
  ...base,
  backup: change(structuredClone(base.backup!)) as Backup | undefined,
});
const problems = (c: EnvironmentConfig) => validateEnvironment(c).problems;

describe("backup configuration", () => {
  test("the three environments are valid", () => {
    for (const c of [dev, staging, prod]) expect({ env: c.name, problems: problems(c) }).toEqual({ env: c.name, problems: [] });
  });

  test.each<[string, EnvironmentConfig, string, RegExp]>([
    [
      "an RPO shorter than the Velero schedules leave",
      withBackup(prod, (b) => ({ ...b, rpoHours: 4 })),
      "backup.velero.schedules",
      /together run at least every 4h .* up to 6h/,
    ],
    [
      "an RPO shorter than the AWS Backup schedule leaves",
      withBackup(prod, (b) => ({ ...b, awsBackup: { ...b.awsBackup, cron: "15 3 * * *" } })),
      "backup.awsBackup.cron",
      /at least every 6h .* up to 1d/,
    ],
    [
      "a Velero retention shorter than the RPO window",
      withBackup(dev, (b) => ({ ...b, rpoHours: 48, velero: { schedules: { nightly: { cron: "0 2 * * *", retentionDays: 1 } } } })),
      "backup.velero.schedules.nightly.retentionDays",
      /at least 2 day\(s\)/,
    ],
    [
      "an AWS Backup retention shorter than the RPO window",
      withBackup(dev, (b) => ({ ...b, rpoHours: 48, velero: { schedules: { nightly: { cron: "0 2 * * *", retentionDays: 7 } } }, awsBackup: { ...b.awsBackup, retentionDays: 1 } })),
      "backup.awsBackup.retentionDays",
      /at least 2 day\(s\)/,
    ],
    [
      "a protected environment without an off-region copy",
      withBackup(prod, (b) => ({ ...b, awsBackup: { ...b.awsBackup, offRegionCopy: undefined } })),
      "backup.awsBackup.offRegionCopy",
      /another region/,
    ],
    [
      "a protected environment without a bucket replica",
      withBackup(prod, (b) => ({ ...b, bucket: { objectLock: b.bucket!.objectLock } })),
      "backup.bucket.replicaRegion",
      /replicated out of the region/,
    ],
    ["a protected environment without a backup section", { ...prod, backup: undefined }, "backup", /protection\.preventDestroy/],
    [
      "an off-region copy in the environment's own region",
      withBackup(prod, (b) => ({ ...b, awsBackup: { ...b.awsBackup, offRegionCopy: { region: "eu-west-1", retentionDays: 35 } } })),
      "backup.awsBackup.offRegionCopy.region",
      /other than the environment's own \(eu-west-1\)/,
    ],
    [
      "a retention outside the vault lock's range",
      withBackup(prod, (b) => ({ ...b, awsBackup: { ...b.awsBackup, retentionDays: 500 } })),
      "backup.awsBackup.retentionDays",
      /between vaultLock/,
    ],
    [
      "cold storage with less than 90 days left",
      withBackup(prod, (b) => ({ ...b, awsBackup: { ...b.awsBackup, coldStorageAfterDays: 30 } })),
      "backup.awsBackup.retentionDays",
      /coldStorageAfterDays \+ 90 \(120\)/,
    ],
    [
      "a monthly schedule it cannot measure",
      withBackup(dev, (b) => ({ ...b, awsBackup: { ...b.awsBackup, cron: "0 2 1 * *" } })),
      "backup.awsBackup.cron",
      /day-of-month and month '\*'/,
    ],
  ])("fails with %s", (_what, config, path, allowed) => {
    const found = problems(config);
    expect(found.map((p) => p.path)).toContain(path);
    expect(found.find((p) => p.path === path)!.allowed).toMatch(allowed);
  });

  test("staging's named opt-out keeps it in its region; without the opt-out it would fail", () => {
    expect(problems(staging)).toEqual([]);
    expect(problems(withBackup(staging, (b) => ({ ...b, offRegionOptOut: undefined }))).map((p) => p.path)).toEqual(["backup.awsBackup.offRegionCopy", "backup.bucket.replicaRegion"]);
  });
});
