/** What the package suites share: running a command as a consumer's shell would, and timing it for the report. */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as path from "node:path";

export interface Runner {
  /** Runs `cmd args` in `cwd` (default: the runner's), offline for cdktf, and records how long it took. */
  (cmd: string, args: readonly string[], opts?: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv }): SpawnSyncReturns<string>;
  /** Milliseconds per command, for the suite's closing report. */
  readonly timings: Record<string, number>;
}

/** A {@link Runner} whose commands run in `defaultCwd` unless told otherwise; `labelArgs` arguments name a timing. */
export function runner(defaultCwd: string, labelArgs = 2): Runner {
  const timings: Record<string, number> = {};
  const run = (cmd: string, args: readonly string[], opts: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}) => {
    const started = Date.now();
    const r = spawnSync(cmd, args, { cwd: opts.cwd ?? defaultCwd, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1", ...opts.env } });
    timings[`${path.basename(cmd)} ${args.slice(0, labelArgs).join(" ")}`.trim()] = Date.now() - started;
    return r;
  };
  return Object.assign(run, { timings });
}
