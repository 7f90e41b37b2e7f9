import { sloOwnershipProblems } from "../../../lib/observability/slo-ownership";
import { validateSloSpec } from "../../../lib/slo/validate";
import type { SloSpecV1 } from "../../../lib/slo/formats/sre-platform-v1";
import { formatDiagnostic } from "../../../lib/slo/model";

const spec = (patch: Partial<SloSpecV1> & { page?: Record<string, string>; sloLabels?: Record<string, string> } = {}): SloSpecV1 => {
  const { page, sloLabels, ...rest } = patch;
  return {
    version: "sre-platform/v1",
    service: "api",
    labels: { team: "payments" },
    slos: [
      {
        name: "availability",
        objective: 99.9,
        ...(sloLabels !== undefined ? { labels: sloLabels } : {}),
        sli: { events: { errorQuery: 'sum(rate(x_total{namespace="payments",code="5xx"}[{{.window}}]))', totalQuery: 'sum(rate(x_total{namespace="payments"}[{{.window}}]))' } },
        alerting: { name: "ApiAvailability", ...(page !== undefined ? { page: { labels: page } } : {}) },
      },
    ],
    ...rest,
  } as SloSpecV1;
};
const problems = (s: SloSpecV1, teams = ["payments", "search"]) =>
  sloOwnershipProblems(validateSloSpec(s, { file: "slos/api.yaml" }), teams, "security.namespaces.teams of environment \"prod\"").map(formatDiagnostic);

describe("sloOwnershipProblems", () => {
  test("a spec of a configured team, or of no team (the platform's), is fine", () => {
    expect(problems(spec())).toEqual([]);
    expect(problems(spec({ labels: {} }))).toEqual([]);
  });

  test("a team the environment does not have is refused, naming the file, the field and the allowed teams", () => {
    expect(problems(spec({ labels: { team: "paymnets" } }))).toEqual([
      'slos/api.yaml: api-availability: labels.team: team "paymnets" is not a team of this environment; allowed: payments, search (security.namespaces.teams of environment "prod"), or no team for a platform SLO',
    ]);
    // The SLO's own labels override the spec's, and are checked the same way.
    expect(problems(spec({ sloLabels: { team: "ops" } }))).toEqual([expect.stringMatching(/^slos\/api\.yaml: api-availability: slos\[0\]\.labels\.team: team "ops" is not a team/)]);
    expect(problems(spec({ labels: { team: "payments" } }), [])).toEqual([expect.stringMatching(/allowed: none configured/)]);
  });

  test("a routing look-alike label is refused wherever an alert would carry it", () => {
    expect(problems(spec({ page: { route: "payments-oncall" } }))).toEqual([
      'slos/api.yaml: api-availability: slos[0].alerting.page.labels.route: label "route" routes nowhere: the platform\'s Alertmanager routes by labels.team (payments, search) and the tier (page P1, ticket P2); remove it',
    ]);
    expect(problems(spec({ labels: { team: "payments", receiver: "x" } }))).toEqual([expect.stringMatching(/labels\.receiver: label "receiver" routes nowhere/)]);
  });

  test("the team is set once, not per alert", () => {
    expect(problems(spec({ page: { team: "search" } }))).toEqual([expect.stringMatching(/alerting\.page\.labels\.team: the owning team is set once, in labels\.team/)]);
  });
});
