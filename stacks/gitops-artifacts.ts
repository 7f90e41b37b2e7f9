import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import type { GitOpsCatalog } from "../constructs/addons/gitops-delivery";
import { addonApplicationSet } from "../lib/delivery/gitops-bridge";

/** What the synth writes for an environment that delivers its add-ons through the GitOps bridge: file name → YAML. */
export function gitOpsDocuments(catalog: GitOpsCatalog): Record<string, string> {
  const entries = catalog.entries;
  const render = (doc: unknown) => stringify(doc, { lineWidth: 0, minContentWidth: 0 });
  return Object.fromEntries(entries.map((e) => [`addons/${e.releaseName}.yaml`, render(addonApplicationSet(e))]));
}

/**
 * Writes `<outdir>/gitops/<env>/addons/`: one ApplicationSet per add-on release, ready to commit to the directory the
 * environment's root app-of-apps reads (`delivery.argocd.rootApplication.path`). Their AppProject, `platform-addons`,
 * is Terraform's (the last release layer), so the root repository needs no right to create projects.
 */
export function writeEnvironmentGitOps(outdir: string, environment: string, catalog: GitOpsCatalog): void {
  const dir = path.join(outdir, "gitops", environment);
  for (const [file, text] of Object.entries(gitOpsDocuments(catalog))) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
}
