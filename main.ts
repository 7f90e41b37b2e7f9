/**
 * The cdktf app: validates the environments and their SLO specs, then synthesizes every stack of the
 * selected environments. Run by `cdktf synth|diff|deploy` through cdktf.json and by `npm run synth`.
 *
 *   node dist/main.js [--env dev[,staging]] [--out cdktf.out]      (or SRE_ENV=dev)
 *
 * Bad configuration, SLO specs or arguments print one line per problem on stderr and exit 1 before
 * anything is written; the previous cdktf.out stays as it was.
 */
import { runSynth } from "./stacks/synth";

process.exitCode = runSynth(process.argv.slice(2), process.env);
