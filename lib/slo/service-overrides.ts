/**
 * An environment's overrides of its specs' services (`slo.overrides.<service>` of an environment): today the
 * service-down (P0) alert's `for`, `disabled` and `trafficCanBeZero`, e.g. a dev environment that pages no one when a
 * service is down, or a staging one that waits longer. Applied where the specs are loaded, so the synth and the CLI
 * (`slo validate|compile --environment`) compile the same rules.
 */
import { suggest } from "../did-you-mean";
import type { ServiceDown, SloDefinition, SloDiagnostic } from "./model";
import { DEFAULT_SERVICE_DOWN, isAlertDuration } from "./service-down";
import type { ValidationProblem } from "../problems";

/** What an environment may change of a service's service-down alert; unset fields keep the spec's. */
export type ServiceDownOverride = Partial<Pick<ServiceDown, "disabled" | "for" | "trafficCanBeZero">>;

/** One service's overrides in an environment. */
export interface ServiceOverride {
  /** @default - the spec's service-down settings */
  readonly serviceDown?: ServiceDownOverride;
}

/** An environment's overrides, by service name, and where they are written (for messages). */
export interface ServiceOverrides {
  /** The file (or environment) they are written in, e.g. `environments/dev.ts`. */
  readonly source: string;
  /** Their field path there. @default "slo.overrides" */
  readonly field?: string;
  readonly services: Readonly<Record<string, ServiceOverride>>;
  /**
   * The specs loaded may be a part of the environment's (the CLI given a few files): an override of a service that is
   * not loaded is then skipped, unless a loaded service is close to its name (a typo is still refused).
   * @default false - the specs loaded are all of the environment's: an override of any other service is refused
   */
  readonly partial?: boolean;
}

/**
 * The environment's `slo.overrides`, or undefined when it has none.
 * @param source the file the environment is written in (`environments/dev.ts`), else `environment "dev"`
 */
export function environmentServiceOverrides(
  slo: { readonly overrides?: Readonly<Record<string, ServiceOverride>> } | undefined,
  source: string,
): ServiceOverrides | undefined {
  const services = slo?.overrides;
  return services === undefined || Object.keys(services).length === 0 ? undefined : { source, field: "slo.overrides", services };
}

/**
 * Problems of the overrides themselves, before any spec is read (the services they name are checked against the
 * specs by {@link applyServiceOverrides}): each sets something, and an overridden `for` is a duration a Prometheus
 * alert's `for:` takes.
 * @param at the field path of the overrides, e.g. `slo.overrides`
 */
export function serviceOverrideProblems(services: Readonly<Record<string, ServiceOverride>>, at = "slo.overrides"): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const [service, o] of Object.entries(services)) {
    const sd = o.serviceDown;
    if (sd === undefined || Object.values(sd).every((v) => v === undefined)) {
      problems.push({ path: `${at}.${service}`, value: o, allowed: "an override, e.g. { serviceDown: { for: \"10m\" } } or { serviceDown: { disabled: true } }" });
    } else if (sd.for !== undefined && !isAlertDuration(sd.for)) {
      problems.push({ path: `${at}.${service}.serviceDown.for`, value: sd.for, allowed: "a Prometheus duration of one unit, more than zero (e.g. 30s, 2m, 1h)" });
    }
  }
  return problems;
}

/**
 * The definitions with the overrides applied (each SLO of an overridden service gets the same merged
 * `serviceDown`), and one error per override of a service no spec defines, with the nearest one.
 */
export function applyServiceOverrides(defs: readonly SloDefinition[], overrides: ServiceOverrides | undefined): { definitions: SloDefinition[]; errors: SloDiagnostic[] } {
  if (overrides === undefined) return { definitions: [...defs], errors: [] };
  const field = overrides.field ?? "slo.overrides";
  const services = [...new Set(defs.map((d) => d.service))].sort();
  const errors: SloDiagnostic[] = serviceOverrideProblems(overrides.services, field).map((p) => ({
    file: overrides.source,
    field: p.path,
    stage: "load",
    message: `got ${JSON.stringify(p.value)}; expected ${p.allowed}`,
  }));
  errors.push(...Object.keys(overrides.services)
    .filter((s) => !services.includes(s) && (overrides.partial !== true || suggest(s, services) !== ""))
    .sort()
    .map((s) => ({
      file: overrides.source,
      field: `${field}.${s}`,
      stage: "load",
      message: `unknown service "${s}"${suggest(s, services)}: no SLO spec ${overrides.partial === true ? "given" : "of this environment"} defines it; the specs' services: ${services.join(", ") || "none"}`,
    })));
  const definitions = defs.map((d) => {
    const o = overrides.services[d.service]?.serviceDown;
    if (o === undefined) return d;
    const set = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as ServiceDownOverride;
    return { ...d, serviceDown: { ...(d.serviceDown ?? DEFAULT_SERVICE_DOWN), ...set } };
  });
  return { definitions, errors };
}
