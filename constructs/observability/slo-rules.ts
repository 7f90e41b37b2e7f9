import { Construct } from "constructs";
import { AnnotationMetadataEntryType } from "cdktf";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { isDnsLabel, isQualifiedName, isLabelValue } from "../../lib/kubernetes/names";
import type { IClusterAccess } from "../cluster/cluster-access";
import type { CompiledSlo } from "../../lib/slo/compile";
import { toPrometheusRule, type PrometheusRuleObject } from "../../lib/slo/emit";
import { serviceDownGroupName } from "../../lib/slo/service-down";
import { formatDiagnostic, SloError, type SloPeriod } from "../../lib/slo/model";
import { loadAndCompileSlos } from "../../lib/slo/pipeline";
import { SUPPORTED_PERIODS } from "../../lib/slo/windows";
import { renderValue, type ValidationProblem } from "../common/validation";
import { crdKey, crdSchemaProblems } from "../../lib/kubernetes/crd-schemas";
import { KUBE_PROMETHEUS_STACK_DEFAULTS } from "../addons/kube-prometheus-stack/kube-prometheus-stack";

/** The PrometheusRule schema of the prometheus-operator version kube-prometheus-stack installs. */
const PROMETHEUS_RULE_SCHEMA = KUBE_PROMETHEUS_STACK_DEFAULTS.crds![crdKey("monitoring.coreos.com/v1", "PrometheusRule")]!;

/** The Prometheus (prometheus-operator) that should load the rules. */
export interface PrometheusTarget {
  /**
   * Namespace the PrometheusRule objects go to; the Prometheus' `ruleNamespaceSelector` (and, with prometheus-operator,
   * its watched namespaces) must select it. For a team this is the team's own namespace, not the Prometheus' one: the
   * platform's Prometheus loads rules from every configured team namespace and confines them to that namespace's
   * series (`enforcedNamespaceLabel: namespace`), so the team needs write access to PrometheusRules there only, and
   * none in `monitoring`. Required: the construct cannot know which namespace is the team's.
   */
  readonly namespace: string;
  /**
   * Value of the `release` label that kube-prometheus-stack's default `ruleSelector` matches: the Helm
   * release name of the stack (e.g. `kube-prometheus-stack`).
   * @default - no `release` label (give `ruleLabels` matching your Prometheus' `ruleSelector` instead)
   */
  readonly releaseLabel?: string;
  /**
   * Further labels for the Prometheus' `ruleSelector`.
   * @default - none
   */
  readonly ruleLabels?: Readonly<Record<string, string>>;
}

/** Props of {@link SloRules}. */
export interface SloRulesProps {
  /**
   * SLO spec files, or directories standing for their `*.yaml` files, relative to the current directory
   * (the app's folder under `cdktf synth`). Formats: `sre-platform/v1`, Sloth `prometheus/v1`, OpenSLO `openslo/v1`.
   */
  readonly specs: readonly string[];
  /** Where the rules go. */
  readonly prometheus: PrometheusTarget;
  /**
   * Apply the specs' per-environment objective overrides of this environment. A name no spec overrides but
   * close to one a spec does (`prd` for `prod`) is refused, as it would silently get the base objectives.
   * @default - no overrides
   */
  readonly environment?: string;
  /**
   * Every environment name of the app: `environment` must be one of them, and so must every spec's
   * `environments.<name>` key (catches `prdo`).
   * @default - any name a spec overrides, and any other not close to one
   */
  readonly knownEnvironments?: readonly string[];
  /**
   * SLO period for every SLO.
   * @default - each spec's own, else 30d
   */
  readonly period?: SloPeriod;
  /**
   * Base URL of runbooks for alerts without one: `<url>/<service>/<slo>`.
   * @default - alerts without a runbook URL get none
   */
  readonly runbookBaseUrl?: string;
  /**
   * Start of every PrometheusRule's name: `<namePrefix>-<service>`.
   * @default "slo"
   */
  readonly namePrefix?: string;
  /**
   * How Terraform reaches the cluster that runs the Prometheus: its Kubernetes provider creates the
   * PrometheusRule objects (see `ClusterAccess`).
   * @default - the stack's default Kubernetes provider
   */
  readonly access?: IClusterAccess;
}

/**
 * A team's SLO specs compiled at synth time into prometheus-operator `PrometheusRule` objects (one per
 * service, as `kubernetes_manifest` resources): recording rules and multi-window multi-burn-rate alerts.
 *
 * Problems in the specs (every one, with file, SLO and field) become cdktf error annotations, so
 * `cdktf synth` prints each once and fails before anything is written; the compiler's warnings (such as
 * an alert that can never fire) become warning annotations that `cdktf synth` prints. Both are also
 * kept in {@link SloRules.problems} and {@link SloRules.warnings}.
 *
 * `kubernetes_manifest` needs the PrometheusRule CRD at plan time: put this construct in a stack that
 * deploys after the one installing the Prometheus operator.
 */
export class SloRules extends Construct {
  /** The PrometheusRule resources, keyed by service. Empty when the specs had problems. */
  public readonly manifests: Readonly<Record<string, Manifest>>;
  /** The objects as applied, keyed by service. */
  public readonly prometheusRules: Readonly<Record<string, PrometheusRuleObject>>;
  /** Every problem found, one line each (`file: slo: field: message`); empty when the specs are valid. */
  public readonly problems: readonly string[];
  /** The compiler's warnings, one line each. */
  public readonly warnings: readonly string[];
  /** The files read, directories expanded. */
  public readonly files: readonly string[];

  constructor(scope: Construct, id: string, props: SloRulesProps) {
    super(scope, id);
    const propProblems = validateSloRulesProps(props);
    const manifests: Record<string, Manifest> = {};
    const rules: Record<string, PrometheusRuleObject> = {};
    let problems: string[] = propProblems.map((p) => `${p.path}: got ${renderValue(p.value)}; allowed: ${p.allowed}`);
    let warnings: string[] = [];
    let files: string[] = [];
    if (problems.length === 0) {
      try {
        const compiled = loadAndCompileSlos(props.specs, {
          ...(props.environment !== undefined ? { environment: props.environment } : {}),
          ...(props.knownEnvironments !== undefined ? { knownEnvironments: props.knownEnvironments } : {}),
          ...(props.period !== undefined ? { period: props.period } : {}),
          ...(props.runbookBaseUrl !== undefined ? { runbookBaseUrl: props.runbookBaseUrl } : {}),
        });
        warnings = compiled.warnings.map(formatDiagnostic);
        files = compiled.files;
        const byService = groupByService(compiled.result.slos);
        const prefix = props.namePrefix ?? "slo";
        const labels = { ...(props.prometheus.releaseLabel !== undefined ? { release: props.prometheus.releaseLabel } : {}), ...(props.prometheus.ruleLabels ?? {}) };
        const names = new Map<string, string>();
        for (const [service, slos] of byService) {
          const name = `${prefix}-${service.toLowerCase().replace(/[_.]/g, "-")}`;
          const clash = names.get(name);
          if (clash !== undefined || !isDnsLabel(name)) {
            problems.push(`service ${JSON.stringify(service)}: PrometheusRule name ${JSON.stringify(name)} ${clash !== undefined ? `clashes with service ${JSON.stringify(clash)}'s` : "is not a DNS label (≤ 63 lowercase letters, digits and '-')"}`);
            continue;
          }
          names.set(name, service);
          // The service's SLO groups, then its service-down (P0) alert.
          const services = compiled.result.services.filter((g) => g.name === serviceDownGroupName(service));
          rules[service] = toPrometheusRule({ slos, services }, { name, namespace: props.prometheus.namespace, labels });
          // The same CRD schema check every CustomResource gets; the CRD itself is the team's Prometheus's.
          const rule = rules[service]!;
          for (const p of crdSchemaProblems(rule, PROMETHEUS_RULE_SCHEMA, { prefix: `PrometheusRule ${name}` })) {
            problems.push(`${p.path}: got ${renderValue(p.value)}; allowed: ${p.allowed}`);
          }
        }
        if (problems.length === 0) {
          for (const [service, rule] of Object.entries(rules)) {
            manifests[service] = new Manifest(this, service, { manifest: rule as unknown as Record<string, unknown>, provider: props.access?.kubernetesProvider });
          }
        }
      } catch (e) {
        if (!(e instanceof SloError)) throw e;
        problems = e.diagnostics.map(formatDiagnostic);
      }
    }
    // Annotations without stack traces: `cdktf synth` prints each as one line naming this construct.
    for (const p of problems) this.node.addMetadata(AnnotationMetadataEntryType.ERROR, p, { stackTrace: false });
    for (const w of warnings) this.node.addMetadata(AnnotationMetadataEntryType.WARN, w, { stackTrace: false });
    this.problems = problems;
    this.warnings = warnings;
    this.files = files;
    this.manifests = problems.length === 0 ? manifests : {};
    this.prometheusRules = problems.length === 0 ? rules : {};
  }
}

function groupByService(slos: readonly CompiledSlo[]): Map<string, CompiledSlo[]> {
  const out = new Map<string, CompiledSlo[]>();
  for (const s of slos) out.set(s.slo.service, [...(out.get(s.slo.service) ?? []), s]);
  return out;
}

/** Checks {@link SloRulesProps} (not the spec files, which the compiler checks). */
export function validateSloRulesProps(props: SloRulesProps): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (props === undefined || props === null) {
    return [{ path: "props", value: props, allowed: "an object with specs and prometheus" }];
  }
  if (!Array.isArray(props.specs) || props.specs.length === 0 || props.specs.some((f) => typeof f !== "string" || f === "")) {
    problems.push({ path: "specs", value: props.specs, allowed: "at least one SLO spec file or directory" });
  }
  const target = props.prometheus;
  if (target === undefined || target === null) {
    problems.push({ path: "prometheus", value: target, allowed: "{ namespace, releaseLabel? }: the Prometheus that loads the rules" });
  } else {
    if (typeof target.namespace !== "string" || !isDnsLabel(target.namespace)) {
      problems.push({ path: "prometheus.namespace", value: target.namespace, allowed: "a namespace name (≤ 63 lowercase letters, digits and '-')" });
    }
    if (target.releaseLabel !== undefined && !isLabelValue(target.releaseLabel)) {
      problems.push({ path: "prometheus.releaseLabel", value: target.releaseLabel, allowed: "a label value (≤ 63 letters, digits, '-', '_' or '.')" });
    }
    for (const [k, v] of Object.entries(target.ruleLabels ?? {})) {
      if (!isQualifiedName(k) || !isLabelValue(v)) {
        problems.push({ path: `prometheus.ruleLabels.${k}`, value: v, allowed: "a label: a qualified name and a value of ≤ 63 letters, digits, '-', '_' or '.'" });
      }
    }
  }
  if (props.period !== undefined && !(SUPPORTED_PERIODS as readonly string[]).includes(props.period)) {
    problems.push({ path: "period", value: props.period, allowed: SUPPORTED_PERIODS.join(", ") });
  }
  if (props.namePrefix !== undefined && (typeof props.namePrefix !== "string" || !isDnsLabel(props.namePrefix))) {
    problems.push({ path: "namePrefix", value: props.namePrefix, allowed: "lowercase letters, digits and '-', starting with a letter" });
  }
  return problems;
}
