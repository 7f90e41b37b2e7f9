/**
 * The cdktf app: validates the environments and their SLO specs, then synthesizes every stack of the
 * selected environments. Run by `cdktf synth|diff|deploy` through cdktf.json and by `npm run synth`.
 *
 *   node dist/main.js [--env dev[,staging]] [--out cdktf.out]      (or SRE_ENV=dev)
 *
 * Bad configuration, SLO specs or arguments print one line per problem on stderr and exit 1 before
 * anything is written; the previous cdktf.out stays as it was.
 */
import { ENVIRONMENTS, environmentSources, loadEnvironments } from "./environments";
import { runSynth } from "./stacks/synth";

// cdktf records a full stack trace for every token it creates (used only to decorate its own error
// messages) and formatting them is a third of the synth's CPU time. Format traces of real errors as V8
// does, and skip the formatting for those bookkeeping objects.
const prepareStackTrace = (err: unknown, frames: NodeJS.CallSite[]): string =>
  err instanceof Error ? `${err.name}: ${err.message}${frames.map((f) => `\n    at ${f}`).join("")}` : "";
Error.prepareStackTrace = prepareStackTrace;
// Those objects still cost the capture itself: every frame, without depth limit (cdktf and constructs lift
// `Error.stackTraceLimit` for it), as call-site objects for the collector, about a tenth of the synth's CPU.
// While the formatter above is in place their trace would be "" anyway, so give them "" without capturing.
const captureStackTrace = Error.captureStackTrace;
Error.captureStackTrace = (target: object, constructorOpt?: Function): void => {
  if (target instanceof Error || Error.prepareStackTrace !== prepareStackTrace) captureStackTrace(target, constructorOpt);
  else (target as { stack?: string }).stack = "";
};

process.exitCode = runSynth(process.argv.slice(2), process.env, {
  load: loadEnvironments,
  names: ENVIRONMENTS.map((e) => e.name),
  sources: environmentSources(),
});
