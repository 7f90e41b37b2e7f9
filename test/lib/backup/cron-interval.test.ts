import { awsCronExpression, backupIntervalHours, parseBackupCron } from "../../../lib/backup/cron-interval";
import { unionIntervalHours } from "../../../lib/backup/backup-plan";

describe("backup schedule intervals", () => {
  test.each([
    ["0 2 * * *", 24],
    ["0 */6 * * *", 6],
    ["15 */6 * * *", 6],
    ["*/30 * * * *", 0.5],
    ["0 * * * *", 1],
    ["0 0,6,18 * * *", 12],
    ["0 9-17 * * *", 16],
    ["30 3 * * SUN", 168],
    ["0 2 * * MON-FRI", 72],
    ["0 2 * * 1,3,5", 72],
    ["0 2 * * 7", 168],
    ["0 */5 * * *", 5],
  ])("%s leaves at most %d hours between runs", (cron, hours) => {
    expect(backupIntervalHours(cron)).toBe(hours);
  });

  test.each(["0 2 1 * *", "0 2 * 1 *", "@daily", "0 2 * *", "61 2 * * *", "0 24 * * *", "0 2 * * FUNDAY", "0 */0 * * *", "0 5-2 * * *"])("%s is refused", (cron) => {
    expect(parseBackupCron(cron)).toBeUndefined();
  });

  test("schedules together: a weekly one beside a six-hourly one leaves six hours", () => {
    expect(unionIntervalHours(["0 */6 * * *", "30 3 * * SUN"])).toBe(6);
    expect(unionIntervalHours(["0 2 * * *", "0 14 * * *"])).toBe(12);
  });

  test.each([
    ["0 2 * * *", "cron(0 2 * * ? *)"],
    ["15 */6 * * *", "cron(15 0/6 * * ? *)"],
    ["30 3 * * SUN", "cron(30 3 ? * SUN *)"],
    ["0 2 * * 1-5", "cron(0 2 ? * MON-FRI *)"],
    ["0 2 * * 0", "cron(0 2 ? * SUN *)"],
  ])("%s is %s for AWS Backup", (cron, aws) => {
    expect(awsCronExpression(cron)).toBe(aws);
  });
});
