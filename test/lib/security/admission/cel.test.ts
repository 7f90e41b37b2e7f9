import { celAny, celString, celStringList, re2Literal } from "../../../../lib/security/admission/cel";
import { imageFromRegistry, imageFromRepository, IMAGE_REGISTRY, IMAGE_REPOSITORY } from "../../../../lib/security/admission/registries";
import { ADDONS } from "../../../../constructs/addons/registry";
import { evaluateCel } from "./support/evaluate";

describe("CEL rendering", () => {
  test.each([["plain"], ["it's"], ["back\\slash"], ["' || true || '"], ["new\nline\ttab"]])("a string literal evaluates back to %j", (value) => {
    expect(evaluateCel(celString(value))).toBe(value);
  });

  test("a list of literals evaluates to the list", () => {
    expect(evaluateCel(`${celStringList(["a", "b'c"])}.exists(x, x == 'b\\'c')`)).toBe(true);
  });

  test("a regex literal matches exactly its text", () => {
    const pattern = `^${re2Literal("a.b+(c)")}$`;
    expect(evaluateCel(`'a.b+(c)'.matches(${celString(pattern)})`)).toBe(true);
    expect(evaluateCel(`'aXbb(c)'.matches(${celString(pattern)})`)).toBe(false);
  });

  test("no condition is false; several are or-ed", () => {
    expect(evaluateCel(celAny([]))).toBe(false);
    expect(evaluateCel(celAny(["1 == 2", "2 == 2"]))).toBe(true);
  });
});

describe("registries", () => {
  test.each(ADDONS.map((a) => [a.name, a] as const))("every image of %s comes from exactly one of its own registry or repository entries, each of which is used", (_name, addon) => {
    const repositories = addon.repositories ?? [];
    const entriesOf = (image: string) => addon.registries.filter((r) => imageFromRegistry(image, r)).length + repositories.filter((r) => imageFromRepository(`${image}:v1`, r)).length;
    for (const image of addon.images) expect([image, entriesOf(image)]).toEqual([image, 1]);
    for (const r of addon.registries) expect([r, addon.images.some((i) => imageFromRegistry(i, r)), IMAGE_REGISTRY.test(r)]).toEqual([r, true, true]);
    for (const r of repositories) expect([r, addon.images.includes(r), IMAGE_REPOSITORY.test(r)]).toEqual([r, true, true]);
  });

  test("a repository entry matches the repository itself by tag or digest, nothing beside or below it", () => {
    expect(imageFromRepository("ghcr.io/org/repo:1.0", "ghcr.io/org/repo")).toBe(true);
    expect(imageFromRepository(`ghcr.io/org/repo:1.0@sha256:${"0".repeat(64)}`, "ghcr.io/org/repo")).toBe(true);
    expect(imageFromRepository("ghcr.io/org/repo-evil:1.0", "ghcr.io/org/repo")).toBe(false);
    expect(imageFromRepository("ghcr.io/org/repo/sub:1", "ghcr.io/org/repo")).toBe(false);
  });

  test.each([["ghcr.io/org/repo"], ["registry.example.com:5000/team/app"]])("accepts the repository entry %s", (entry) => {
    expect(IMAGE_REPOSITORY.test(entry)).toBe(true);
  });

  test.each([["ghcr.io"], ["ghcr.io/org/repo/"], ["ghcr.io/org/repo:1.0"], ["ghcr.io/org/repo@sha256:abc"], ["grafana/grafana"], ["https://ghcr.io/org/repo"]])("refuses the repository entry %s", (entry) => {
    expect(IMAGE_REPOSITORY.test(entry)).toBe(false);
  });

  test("an entry matches on a path boundary only", () => {
    expect(imageFromRegistry("quay.io/prometheus/prometheus:v3", "quay.io/prometheus")).toBe(true);
    expect(imageFromRegistry("quay.io/prometheus-operator/x:v1", "quay.io/prometheus")).toBe(false);
  });

  test.each([["quay.io"], ["registry.example.com:5000/team"], ["111111111111.dkr.ecr.eu-west-1.amazonaws.com"]])("accepts the entry %s", (entry) => {
    expect(IMAGE_REGISTRY.test(entry)).toBe(true);
  });

  test.each([["https://quay.io"], ["quay.io/"], ["library"], ["grafana/grafana"], ["quay.io/prometheus:v1"], ["Quay.io"]])("refuses the entry %s", (entry) => {
    expect(IMAGE_REGISTRY.test(entry)).toBe(false);
  });
});
