/**
 * Cost-allocation tags on everything the platform pays for, in every stack of every environment: each AWS resource
 * whose provider schema has a `tags` attribute (read from the provider package's generated classes, not a hand-kept
 * list) gets the environment's cost tags through its provider's `default_tags` (and never overrides one); what AWS
 * creates outside Terraform for the platform (node instances and volumes, Karpenter's nodes, the EBS CSI driver's
 * volumes, the ingress gateway's load balancer) carries them through its own tag settings. The expected values come
 * from the environments' data.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { COST_ALLOCATION_TAGS } from "../../lib/config/cost-schema";
import { LAYERS } from "../../stacks/environment-stack";
import { synthesizedStack } from "../support/synthesized-app";

type Json = Record<string, any>;

const PROVIDER_LIB = join(__dirname, "../../node_modules/@cdktf/provider-aws/lib");
const taggable = new Map<string, boolean>();

/**
 * Whether the provider's resource type has a `tags` argument: its generated class (`lib/<type-without-aws>/index.d.ts`,
 * the class whose `tfResourceType` is the type) has a `tagsInput` getter.
 */
function isTaggable(type: string): boolean {
  if (!taggable.has(type)) {
    const dts = readFileSync(join(PROVIDER_LIB, type.replace(/^aws_/, "").replace(/_/g, "-"), "index.d.ts"), "utf8");
    const classes = dts.split(/^export declare class /m);
    const own = classes.find((c) => c.includes(`static readonly tfResourceType = "${type}";`));
    if (own === undefined) throw new Error(`no generated class of ${type} in @cdktf/provider-aws`);
    taggable.set(type, /\bget tagsInput\(\)/.test(own));
  }
  return taggable.get(type)!;
}

/**
 * AWS resource types with a `tags` argument that must not be checked, each with why. Empty while every taggable type
 * the stacks use takes provider default tags.
 */
const NOT_TAGGED_BY_DEFAULT: Readonly<Record<string, string>> = {};

/**
 * What the cluster makes in AWS outside Terraform and is left untagged, with why: none of it is billed.
 */
const UNTAGGED_CLUSTER_RESOURCES: Readonly<Record<string, string>> = {
  "EFS access points (EFS CSI driver)": "free: EFS bills the file system, which Terraform tags",
  "the cluster security group and the pods' network interfaces (EKS, VPC CNI)": "free",
  "the node groups' Auto Scaling groups (EKS)": "free: the instances they launch are tagged by the launch templates",
};

test("what the cluster leaves untagged is free, each with its reason", () => {
  for (const [what, why] of Object.entries(UNTAGGED_CLUSTER_RESOURCES)) expect({ what, why }).toEqual({ what, why: expect.stringMatching(/^free/) });
  expect(Object.keys(NOT_TAGGED_BY_DEFAULT)).toEqual([]);
});

describe("the probe of the provider package", () => {
  test("knows a taggable type from one without tags", () => {
    expect(isTaggable("aws_vpc")).toBe(true);
    expect(isTaggable("aws_budgets_budget")).toBe(true);
    expect(isTaggable("aws_route")).toBe(false);
    expect(isTaggable("aws_iam_role_policy_attachment")).toBe(false);
  });
});

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s", (env, config) => {
  const costTags = Object.fromEntries(COST_ALLOCATION_TAGS.map((k) => [k, config.tags[k]]));
  const stacks = LAYERS.map((layer) => [`${env}-${layer}`, synthesizedStack(`${env}-${layer}`)] as const);

  test("the environment sets every cost-allocation tag", () => {
    for (const key of COST_ALLOCATION_TAGS) expect({ key, value: config.tags[key] }).toEqual({ key, value: expect.stringMatching(/\S/) });
  });

  test("every taggable AWS resource of every stack gets the cost tags from its provider's default tags, and overrides none", () => {
    let checked = 0;
    for (const [stack, tf] of stacks) {
      const providers = new Map<string, Json>(((tf.provider?.aws ?? []) as Json[]).map((p) => [p.alias ? `aws.${p.alias}` : "aws", p]));
      for (const [type, byName] of Object.entries<Json>(tf.resource ?? {})) {
        if (!type.startsWith("aws_") || !isTaggable(type) || type in NOT_TAGGED_BY_DEFAULT) continue;
        for (const [name, r] of Object.entries<Json>(byName)) {
          const address = `${stack}: ${type}.${name}`;
          const provider = providers.get(r.provider ?? "aws");
          expect({ address, defaultTags: provider?.default_tags?.[0]?.tags }).toEqual({ address, defaultTags: expect.objectContaining(costTags) });
          const own = Object.fromEntries(Object.entries<string>(r.tags ?? {}).filter(([k]) => (COST_ALLOCATION_TAGS as readonly string[]).includes(k)));
          expect({ address, overridden: own }).toEqual({ address, overridden: Object.fromEntries(Object.keys(own).map((k) => [k, costTags[k]])) });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  test("the instances, volumes and network interfaces the node groups launch carry the cost tags", () => {
    const [, cluster] = stacks.find(([s]) => s === `${env}-cluster`)!;
    const templates = Object.entries<Json>(cluster.resource.aws_launch_template);
    expect(templates).toHaveLength(config.cluster.nodeGroups.length);
    for (const [name, t] of templates) {
      const byType = Object.fromEntries((t.tag_specifications as Json[]).map((s) => [s.resource_type, s.tags]));
      for (const kind of ["instance", "volume", "network-interface"]) {
        expect({ name, kind, tags: byType[kind] }).toEqual({ name, kind, tags: expect.objectContaining(costTags) });
      }
    }
  });

  test("every EBS StorageClass tags the volumes it provisions", () => {
    const classes = stacks.flatMap(([, tf]) => Object.values<Json>(tf.resource?.kubernetes_storage_class_v1 ?? {})).filter((c) => c.storage_provisioner === "ebs.csi.aws.com");
    expect(classes.length).toBeGreaterThan(0);
    for (const c of classes) {
      const specs = Object.entries<string>(c.parameters).filter(([k]) => /^tagSpecification_\d+$/.test(k)).map(([, v]) => v);
      expect({ name: c.metadata.name, specs: specs.sort() }).toEqual({ name: c.metadata.name, specs: expect.arrayContaining(Object.entries(costTags).map(([k, v]) => `${k}=${v}`)) });
    }
  });

  test("Karpenter tags every node it launches, where the environment runs it", () => {
    const nodeClasses = stacks.flatMap(([, tf]) => Object.values<Json>(tf.resource?.kubernetes_manifest ?? {})).map((m) => m.manifest).filter((m) => m.kind === "EC2NodeClass");
    expect(nodeClasses).toHaveLength(config.platform.karpenter?.nodePools.length ?? 0);
    for (const nc of nodeClasses) expect({ name: nc.metadata.name, tags: nc.spec.tags }).toEqual({ name: nc.metadata.name, tags: expect.objectContaining(costTags) });
  });

  test("the ingress gateway's load balancer carries the cost tags", () => {
    const releases = stacks.flatMap(([, tf]) => Object.values<Json>(tf.resource?.helm_release ?? {}));
    const gateway = releases.find((r) => r.chart === "gateway");
    expect(gateway).toBeDefined();
    const values = Object.assign({}, ...(gateway!.values as string[]).map((v) => parse(v) as Json));
    const annotation: string = values.service.annotations["service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags"];
    expect(Object.fromEntries(annotation.split(",").map((kv) => kv.split("=")))).toEqual(expect.objectContaining(costTags));
  });
});
