/**
 * The P0 tier from the specs: one service-down alert per service, compiled from its SLOs.
 *
 * A service is down when
 * - every scrape target of the service is down or absent: `(max(up{…}) or vector(0)) == 0`, the `up` selector
 *   given in the spec (`serviceDown.targets`) or derived from the `job` (and `namespace`) equality matchers of
 *   its SLIs' selectors, with the official PromQL grammar; or
 * - its total traffic is gone: the sum of `sre_slo:requests:rate5m` over its events and latency SLOs is zero or
 *   absent, unless the spec says traffic can legitimately be zero (`serviceDown.trafficCanBeZero`).
 * Availability SLIs count samples of a gauge, not requests, and raw SLIs record no traffic: neither adds a
 * traffic condition. Either condition must hold for `for` (default 2m) before the P0 fires.
 *
 * The alert carries `priority: P0`, `severity: critical` and the `sre_service` label that the Alertmanager's P0
 * inhibition keys on (lib/observability/alertmanager), plus the labels every SLO of the service shares (its team).
 */
import { parser } from "@prometheus-io/lezer-promql";
import * as c from "./conventions";
import type { ServiceDown, SloDefinition, SloDiagnostic } from "./model";
import { fillWindow, sliQueries } from "./promql";
import type { AlertingRule, RuleGroup } from "./rules";
import { durationSeconds } from "./windows";

/** How long a service must look down before its P0 fires, unless its spec says otherwise. */
export const DEFAULT_SERVICE_DOWN_FOR = "2m";

/** The defaults of {@link ServiceDown}: on, 2m, traffic must not be zero, targets derived from the SLIs. */
export const DEFAULT_SERVICE_DOWN: ServiceDown = { disabled: false, for: DEFAULT_SERVICE_DOWN_FOR, trafficCanBeZero: false };

/** The metric whose series say whether a scrape target answered. */
export const UP_METRIC = "up";
/** Labels of an SLI selector that name the scrape targets of a service. */
const TARGET_LABELS = ["namespace", "job"] as const;

/** Evaluation interval of the service-down groups: as often as the base window is recorded. */
export const SERVICE_DOWN_INTERVAL = c.GROUP_INTERVALS.base;

const strictParser = parser.configure({ strict: true });

/** Rule group name of a service's service-down alert. */
export function serviceDownGroupName(service: string): string {
  return `sre-service-${service}-down`;
}

/** `checkout-api` → `CheckoutApiDown`. */
export function serviceDownAlertName(service: string): string {
  const pascal = service
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== "")
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
  return `${/^[A-Za-z_]/.test(pascal) ? pascal : `Service${pascal}`}Down`;
}

/**
 * The `up` selectors of the scrape targets an SLO reads: one per distinct `job` (with its `namespace` when the
 * selector pins one) among the equality matchers of the SLI's vector selectors. Selectors without a `job`
 * equality matcher name no targets.
 */
export function derivedTargetSelectors(def: SloDefinition): string[] {
  const out = new Set<string>();
  for (const [, query] of sliQueries(def)) {
    const text = fillWindow(query, c.BASE_WINDOW);
    let tree;
    try {
      tree = strictParser.parse(text);
    } catch {
      continue; // validation reports it
    }
    tree.iterate({
      enter: (n) => {
        if (n.type.name !== "VectorSelector") return true;
        const found: Record<string, string> = {};
        for (const m of n.node.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher") ?? []) {
          const name = m.getChild("LabelName");
          const op = m.getChild("MatchOp")?.firstChild?.type.name;
          const literal = m.getChild("StringLiteral");
          if (!name || !literal || op !== "EqlSingle") continue;
          const label = text.slice(name.from, name.to);
          if ((TARGET_LABELS as readonly string[]).includes(label)) found[label] = text.slice(literal.from, literal.to);
        }
        if (found["job"] !== undefined) {
          const matchers = TARGET_LABELS.filter((l) => found[l] !== undefined).map((l) => `${l}=${found[l]}`);
          out.add(`${UP_METRIC}{${matchers.join(",")}}`);
        }
        return false;
      },
    });
  }
  return [...out].sort();
}

/** A service's SLOs and the service-down settings they agree on. */
interface ServiceSlos {
  readonly service: string;
  readonly defs: SloDefinition[];
  config?: ServiceDown;
  configFrom?: SloDefinition;
}

const sameConfig = (a: ServiceDown, b: ServiceDown): boolean =>
  a.disabled === b.disabled && a.for === b.for && a.trafficCanBeZero === b.trafficCanBeZero && a.targets === b.targets;

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Labels every SLO of the service carries with the same value (its team, its tier), compiler labels excepted. */
function commonLabels(defs: readonly SloDefinition[]): Record<string, string> {
  const reserved = new Set<string>([...c.RESERVED_LABELS, c.LABEL_PRIORITY, c.LABEL_ALERTMANAGER_SEVERITY]);
  const [first, ...rest] = defs;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first?.labels ?? {})) {
    if (!reserved.has(k) && rest.every((d) => d.labels[k] === v)) out[k] = v;
  }
  return out;
}

/** The result of {@link buildServiceDownGroups}. */
export interface ServiceDownResult {
  /** One group per service that has something to watch, in the order services first appear. */
  readonly groups: RuleGroup[];
  /** Services that get no service-down alert although it is enabled (nothing to watch). */
  readonly warnings: SloDiagnostic[];
  /** Conflicting settings between SLOs of one service. */
  readonly errors: SloDiagnostic[];
}

/** One service-down alert group per service of `defs` (deduplicated across the service's SLOs and files). */
export function buildServiceDownGroups(defs: readonly SloDefinition[], opts: { readonly runbookBaseUrl?: string } = {}): ServiceDownResult {
  const services = new Map<string, ServiceSlos>();
  const errors: SloDiagnostic[] = [];
  for (const def of defs) {
    let s = services.get(def.service);
    if (s === undefined) services.set(def.service, (s = { service: def.service, defs: [] }));
    s.defs.push(def);
    if (def.serviceDown === undefined) continue;
    if (s.config === undefined) {
      s.config = def.serviceDown;
      s.configFrom = def;
    } else if (!sameConfig(s.config, def.serviceDown)) {
      errors.push({
        file: def.source.file,
        slo: def.id,
        field: "serviceDown",
        stage: "rules",
        message: `service ${JSON.stringify(def.service)} has a different serviceDown in ${s.configFrom!.source.file}; a service has one service-down alert, so give it the same settings everywhere`,
      });
    }
  }

  const groups: RuleGroup[] = [];
  const warnings: SloDiagnostic[] = [];
  for (const s of services.values()) {
    const cfg = s.config ?? DEFAULT_SERVICE_DOWN;
    if (cfg.disabled) continue;
    const targets = cfg.targets !== undefined ? [cfg.targets.trim()] : [...new Set(s.defs.flatMap(derivedTargetSelectors))].sort();
    const traffic = cfg.trafficCanBeZero ? [] : s.defs.filter((d) => d.sli.kind === "events" || d.sli.kind === "latency");
    const terms = targets.map((t) => `(max(${t}) or vector(0)) == 0`);
    if (traffic.length > 0) {
      const ids = traffic.map((d) => escapeRegex(d.id)).join("|");
      terms.push(`(sum(${c.REQUESTS_RATE}{${c.LABEL_ID}=~${JSON.stringify(ids)}}) or vector(0)) <= 0`);
    }
    const def = s.configFrom ?? s.defs[0]!;
    if (terms.length === 0) {
      // Only formats that can say `serviceDown` hear about it: a Sloth or OpenSLO spec has no field to fix it with.
      if (!s.defs.some((d) => d.source.format === "sre-platform/v1")) continue;
      warnings.push({
        file: def.source.file,
        slo: def.id,
        field: "serviceDown",
        stage: "rules",
        message:
          `service ${JSON.stringify(s.service)} gets no service-down (P0) alert: its SLIs name no job (no job="…" matcher) ` +
          `and ${cfg.trafficCanBeZero ? "its traffic can be zero" : "record no request traffic"}; give serviceDown.targets (e.g. up{namespace="…",job="…"}) or set serviceDown.disabled`,
      });
      continue;
    }
    const what = [
      targets.length > 0 ? `every scrape target (${targets.join(", ")}) is down or absent` : undefined,
      traffic.length > 0 ? "it has received no requests" : undefined,
    ].filter((x) => x !== undefined).join(", or ");
    const alert: AlertingRule = {
      alert: serviceDownAlertName(s.service),
      expr: terms.join("\nor\n"),
      for: cfg.for,
      labels: sortedLabels({
        ...commonLabels(s.defs),
        [c.LABEL_ALERTMANAGER_SEVERITY]: "critical",
        [c.LABEL_PRIORITY]: "P0",
        [c.LABEL_SERVICE]: s.service,
      }),
      annotations: {
        ...(opts.runbookBaseUrl !== undefined && opts.runbookBaseUrl !== ""
          ? { runbook_url: `${opts.runbookBaseUrl.replace(/\/+$/, "")}/${c.serviceDownRunbookPath(s.service).split("/").map(encodeURIComponent).join("/")}` }
          : {}),
        description: `${s.service}: ${what}, for ${cfg.for}.`,
        // The service by name: the expression's result carries no labels for `$labels` to expand.
        summary: `${s.service} is down.`,
        title: `(P0) ${s.service} is down.`,
      },
    };
    groups.push({ name: serviceDownGroupName(s.service), interval: SERVICE_DOWN_INTERVAL, rules: [{ ...alert, annotations: sortedLabels({ ...alert.annotations }) }] });
  }
  return { groups, warnings, errors };
}

function sortedLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]!]));
}

/** True for a duration the `for:` of a Prometheus alert accepts here (`30s`, `2m`, `1h`), more than zero. */
export function isAlertDuration(d: string): boolean {
  try {
    return durationSeconds(d) > 0;
  } catch {
    return false;
  }
}
