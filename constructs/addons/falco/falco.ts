import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { HelmAddon, HelmAddonProps, HelmChartDefaults, HelmReleaseOptions } from "../helm-addon";
import { ContainerResources } from "../addon-types";
import { throwIfProblems, ValidationProblem, requireProps } from "../../common/validation";
import { resolveWorkloadProfile, validateWorkloadProfile } from "../../../lib/kubernetes/workload-profile";
import { FALCO_NAMESPACE } from "../../../lib/security/namespaces";
import { ALERTMANAGER_URL } from "../../../lib/observability/monitoring-selection";
import { FALCO_PRIORITIES, type FalcoPriority } from "../../../lib/security/falco/priorities";
import { checkFalcoRuleFile, renderFalcoRuleFile, type FalcoRuleItem } from "../../../lib/security/falco/rule-file";
import { platformFalcoRules, validateFalcoRulesInput, type FalcoRulesInput } from "../../../lib/security/falco/rules";
import { falcoValues, FalcoSettings } from "./falco-values";

/**
 * falcosecurity's Falco chart 9.1.0 (Falco 0.44.1, falcosidekick chart 0.12.1 with falcosidekick 2.32.0).
 * @see https://github.com/falcosecurity/charts/tree/master/charts/falco
 */
export const FALCO_DEFAULTS: HelmChartDefaults = {
  chart: "falco",
  repository: "https://falcosecurity.github.io/charts",
  version: "9.1.0",
  namespace: FALCO_NAMESPACE,
  releaseName: "falco",
};

/** Files whose read inside a container is an alert when the caller names none. */
export const DEFAULT_SENSITIVE_FILES: readonly string[] = ["/etc/shadow", "/etc/gshadow", "/etc/sudoers"];

/** falcosidekick's size when the caller gives none. */
export const DEFAULT_SIDEKICK_RESOURCES: ContainerResources = { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } };

/** Where falcosidekick sends detections. */
export interface FalcoAlertForwarding {
  /**
   * Run falcosidekick and forward to Alertmanager; `false` leaves detections in Falco's logs only.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Alertmanager's base URL (http or https, no path).
   * @default - the platform's Alertmanager, `http://kube-prometheus-stack-alertmanager.monitoring:9093`
   */
  readonly alertmanagerUrl?: string;
  /** The least severe priority forwarded. @default "WARNING" */
  readonly minimumPriority?: FalcoPriority;
  /** falcosidekick replicas; two or more get a PodDisruptionBudget. @default 2 */
  readonly replicas?: number;
  /** @default { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } } */
  readonly resources?: ContainerResources;
}

/** Props of {@link Falco}. */
export interface FalcoProps extends HelmAddonProps, HelmReleaseOptions {
  /** Falco's container on each node. @default { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "1Gi" } } */
  readonly resources?: ContainerResources;
  /** Inputs of the platform's rules. @default - {@link DEFAULT_SENSITIVE_FILES}, no namespace watched for outbound traffic */
  readonly rules?: FalcoRulesInput;
  /**
   * Further lists, macros and rules appended to the platform's rules file, checked with it.
   * @default []
   */
  readonly additionalRules?: readonly FalcoRuleItem[];
  /** @default - forwarding on, see {@link FalcoAlertForwarding} */
  readonly alertForwarding?: FalcoAlertForwarding;
}

/**
 * Falco on every node with the modern eBPF probe in least-privileged mode (capabilities, not `privileged`), the
 * platform's rules generated from typed input and checked structurally at synth, and falcosidekick (non-root,
 * read-only, no capabilities, no web UI) forwarding detections to Alertmanager. Needs no AWS permissions.
 */
export class Falco extends Construct implements ITerraformDependable {
  public readonly addon: HelmAddon;
  public readonly settings: FalcoSettings;
  /** The rules file as delivered (`customRules`), for review and tests. */
  public readonly rulesYaml: string;
  public readonly rules: readonly FalcoRuleItem[];
  public readonly disruptionBudget?: PodDisruptionBudgetV1;

  constructor(scope: Construct, id: string, props: FalcoProps) {
    super(scope, id);
    requireProps(this, props, { cluster: "an ICluster (EksCluster or EksCluster.fromClusterAttributes())" });
    const input: FalcoRulesInput = props.rules ?? { sensitiveFiles: DEFAULT_SENSITIVE_FILES, outbound: {} };
    const f = props.alertForwarding ?? {};
    const problems = validateFalcoProps(props);
    throwIfProblems(this.node.path, problems);
    this.rules = [...platformFalcoRules(input), ...(props.additionalRules ?? [])];
    throwIfProblems(this.node.path, checkFalcoRuleFile(this.rules).map((p) => ({ ...p, path: `rules file ${p.path}` })));
    this.rulesYaml = renderFalcoRuleFile(this.rules);
    this.settings = {
      resources: props.resources ?? { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "1Gi" } },
      rulesYaml: this.rulesYaml,
      forwarding:
        f.enabled === false
          ? undefined
          : {
              alertmanagerUrl: f.alertmanagerUrl ?? ALERTMANAGER_URL,
              minimumPriority: f.minimumPriority ?? "WARNING",
              replicas: f.replicas ?? 2,
              resources: f.resources ?? DEFAULT_SIDEKICK_RESOURCES,
            },
    };
    this.addon = new HelmAddon(this, "Helm", { ...props, defaults: FALCO_DEFAULTS, chartValues: falcoValues(this.settings) });

    const sidekick = this.settings.forwarding && resolveWorkloadProfile(this.settings.forwarding);
    if (sidekick?.disruptionBudget) {
      // The sub-chart has no disruption budget of its own; without one a drain may stop every forwarder at once.
      this.disruptionBudget = new PodDisruptionBudgetV1(this, "SidekickDisruptionBudget", {
        provider: props.access?.kubernetesProvider,
        metadata: { name: `${FALCO_DEFAULTS.releaseName}-falcosidekick`, namespace: this.addon.namespace },
        spec: {
          minAvailable: String(sidekick.disruptionBudget.minAvailable),
          selector: { matchLabels: { "app.kubernetes.io/name": "falcosidekick", "app.kubernetes.io/instance": FALCO_DEFAULTS.releaseName } },
        },
        dependsOn: [this.addon],
      });
    }
  }

  /** The release's address, so what needs runtime detection in place can wait for it. */
  public get fqn(): string {
    return this.addon.fqn;
  }
}

/** Checks {@link FalcoProps} without building anything (the release is checked by `HelmAddon`, the rules file after). */
export function validateFalcoProps(props: Omit<FalcoProps, "cluster">): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (props.rules !== undefined) problems.push(...validateFalcoRulesInput(props.rules).map((p) => ({ ...p, path: `rules.${p.path}` })));
  if (props.resources !== undefined) problems.push(...validateWorkloadProfile("", { resources: props.resources }, "Falco's pods"));
  const f = props.alertForwarding ?? {};
  if (f.alertmanagerUrl !== undefined && !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(f.alertmanagerUrl)) {
    problems.push({ path: "alertForwarding.alertmanagerUrl", value: f.alertmanagerUrl, allowed: "http(s)://host[:port], no path (falcosidekick adds /api/v2/alerts)" });
  }
  if (f.minimumPriority !== undefined && !(FALCO_PRIORITIES as readonly string[]).includes(f.minimumPriority)) {
    problems.push({ path: "alertForwarding.minimumPriority", value: f.minimumPriority, allowed: `one of ${FALCO_PRIORITIES.join(", ")}` });
  }
  problems.push(...validateWorkloadProfile("alertForwarding", { replicas: f.replicas, resources: f.resources ?? DEFAULT_SIDEKICK_RESOURCES }, "Falco's pods"));
  return problems;
}

