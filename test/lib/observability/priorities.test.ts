import { isPriority, LABEL_PRIORITY, PRIORITIES } from "../../../lib/observability/priorities";
import { ALERT_PRIORITY, LABEL_PRIORITY as SLO_LABEL_PRIORITY } from "../../../lib/slo/conventions";

test("five tiers, most urgent first, on the label `priority`", () => {
  expect(PRIORITIES).toEqual(["P0", "P1", "P2", "P3", "P4"]);
  expect(LABEL_PRIORITY).toBe("priority");
  expect([isPriority("P3"), isPriority("p3"), isPriority("P5"), isPriority(1)]).toEqual([true, false, false, false]);
});

test("the SLO compiler speaks the same tiers: pages are P1, tickets P2", () => {
  expect(SLO_LABEL_PRIORITY).toBe("priority");
  expect(ALERT_PRIORITY).toEqual({ page: "P1", ticket: "P2" });
});
