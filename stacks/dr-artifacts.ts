import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentConfig } from "../lib/config/environment-schema";
import { restoreDrill } from "../lib/backup/restore-drill";

/**
 * Writes `<outdir>/dr/<env>/restore-drill.md` for an environment with a `backup` section: what is backed up, where, how
 * often, the restore commands in order and the stated RTO and RPO, all from the configuration (`lib/backup/restore-drill.ts`).
 * @param source the environment's file, named in the document (`environments/<env>.ts`)
 */
export function writeEnvironmentDr(outdir: string, config: EnvironmentConfig, source?: string): void {
  const drill = restoreDrill(config, source);
  if (drill === undefined) return;
  const dir = path.join(outdir, "dr", config.name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "restore-drill.md"), drill);
}
