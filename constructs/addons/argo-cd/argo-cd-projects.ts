import { Construct } from "constructs";
import type { IClusterAccess } from "../../cluster/cluster-access";
import { CustomResource } from "../../kubernetes/custom-resource";
import { requireProps, throwIfProblems, ValidationProblem } from "../../common/validation";
import { isDnsLabel } from "../../../lib/kubernetes/names";
import {
  isGitRepositoryUrl, GIT_REPOSITORY_RULE, rootAppProject, rootApplication, teamAppProject, type RootApplicationInput, type TeamProjectInput,
} from "../../../lib/delivery/argocd-projects";
import type { ArgoCd } from "./argo-cd";

/** Props of {@link ArgoCdProjects}. */
export interface ArgoCdProjectsProps {
  /** The Argo CD release (in an earlier stack): it installs the Application and AppProject CRDs. */
  readonly argoCd: ArgoCd;
  /** One AppProject per team. */
  readonly teams: readonly TeamProjectInput[];
  /** The environment's root app-of-apps. @default - none */
  readonly rootApplication?: RootApplicationInput;
  /** @default - the stack's default Kubernetes provider */
  readonly access?: IClusterAccess;
}

/**
 * Each team's AppProject (its repositories, its namespaces on this cluster, the kinds its deployer role may create,
 * nothing cluster-scoped, no RBAC, NetworkPolicy, quota or LimitRange) and the environment's root app-of-apps with
 * its own narrow project. Custom resources: in a stack after the one that installs Argo CD.
 */
export class ArgoCdProjects extends Construct {
  /** AppProjects by team. */
  public readonly projects: Readonly<Record<string, CustomResource>>;
  public readonly rootProject?: CustomResource;
  public readonly rootApplication?: CustomResource;

  constructor(scope: Construct, id: string, props: ArgoCdProjectsProps) {
    super(scope, id);
    requireProps(this, props, { argoCd: "the ArgoCd add-on (its CRDs)", teams: "the teams (may be empty)" });
    throwIfProblems(this.node.path, validateArgoCdProjectsProps(props));
    const namespace = props.argoCd.namespace;
    const make = (cid: string, manifest: Record<string, any>) => new CustomResource(this, cid, { installedBy: props.argoCd, access: props.access, manifest: manifest as any });
    // Keyed by team name: a team added or removed moves no other project's address.
    this.projects = Object.fromEntries(props.teams.map((t) => [t.team, make(`Project-${t.team}`, teamAppProject(t, namespace))]));
    if (props.rootApplication) {
      this.rootProject = make("RootProject", rootAppProject(props.rootApplication.repoURL, namespace));
      this.rootApplication = new CustomResource(this, "RootApplication", {
        installedBy: props.argoCd,
        access: props.access,
        manifest: rootApplication(props.rootApplication, namespace) as any,
        dependsOn: [this.rootProject],
      });
    }
  }
}

/** Checks {@link ArgoCdProjectsProps}. */
export function validateArgoCdProjectsProps(props: Pick<ArgoCdProjectsProps, "teams" | "rootApplication">): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  props.teams.forEach((t, i) => {
    if (!isDnsLabel(t.team)) problems.push({ path: `teams[${i}].team`, value: t.team, allowed: "a team name (a DNS label: the AppProject's name)" });
    if (seen.has(t.team)) problems.push({ path: `teams[${i}].team`, value: t.team, allowed: "each team once" });
    seen.add(t.team);
    if (t.namespaces.length === 0) problems.push({ path: `teams[${i}].namespaces`, value: [], allowed: "at least one namespace the team deploys to" });
    t.sourceRepos.forEach((r, j) => {
      if (!isGitRepositoryUrl(r)) problems.push({ path: `teams[${i}].sourceRepos[${j}]`, value: r, allowed: GIT_REPOSITORY_RULE });
    });
  });
  if (props.rootApplication && !isGitRepositoryUrl(props.rootApplication.repoURL)) {
    problems.push({ path: "rootApplication.repoURL", value: props.rootApplication.repoURL, allowed: GIT_REPOSITORY_RULE });
  }
  return problems;
}
