import { amiVersionProblem, newestReviewedAmiVersion, REVIEWED_AMI_VERSIONS } from "../../../lib/eks/ami-versions";

describe("reviewed AMI releases", () => {
  test("each is an AL2023 EKS AMI release tag, newest first, without repeats", () => {
    const al2023 = REVIEWED_AMI_VERSIONS.AL2023 ?? [];
    expect(al2023.length).toBeGreaterThan(0);
    for (const v of al2023) expect(v).toMatch(/^v20\d{6}$/);
    expect([...al2023].sort().reverse()).toEqual(al2023);
    expect(new Set(al2023).size).toBe(al2023.length);
    expect(newestReviewedAmiVersion("AL2023")).toBe(al2023[0]);
  });

  test("latest is refused for every family, a reviewed release accepted, an unreviewed one refused where a family has reviews", () => {
    expect(amiVersionProblem("AL2023", "latest")).toMatch(/^a reviewed AL2023 release .*: with latest Karpenter replaces every node/);
    expect(amiVersionProblem("Bottlerocket", "latest")).toMatch(/^a pinned Bottlerocket release/);
    expect(amiVersionProblem("AL2023", newestReviewedAmiVersion("AL2023")!)).toBeUndefined();
    expect(amiVersionProblem("AL2023", "v20200101")).toMatch(/add a newer one to lib\/eks\/ami-versions\.ts/);
    expect(amiVersionProblem("Bottlerocket", "1.30.0")).toBeUndefined();
  });
});
