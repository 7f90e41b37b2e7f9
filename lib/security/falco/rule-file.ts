/**
 * A Falco rules file as data, and its structural check: what Falco would reject at start (a missing field, a
 * priority it does not know, a condition that does not parse) and what it would accept but never match (a
 * misspelled macro or list) fails at synth instead.
 * @see https://falco.org/docs/concepts/rules/basic-elements/
 */
import { stringify } from "yaml";
import type { ValidationProblem } from "../../problems";
import { conditionReferences } from "./condition";
import { isDefaultList, isDefaultMacro } from "./default-ruleset";
import { FALCO_PRIORITIES, isFalcoRulePriority } from "./priorities";

export interface FalcoList {
  readonly list: string;
  /** Quoted literals as Falco reads them (`'"/etc/shadow"'`), numbers, or other list names. */
  readonly items: readonly (string | number)[];
}

export interface FalcoMacro {
  readonly macro: string;
  readonly condition: string;
}

export interface FalcoRule {
  readonly rule: string;
  readonly desc: string;
  readonly condition: string;
  readonly output: string;
  readonly priority: string;
  readonly tags?: readonly string[];
}

export type FalcoRuleItem = FalcoList | FalcoMacro | FalcoRule;

const RULE_FIELDS = ["rule", "desc", "condition", "output", "priority"] as const;

function kindOf(item: unknown): "list" | "macro" | "rule" | undefined {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return undefined;
  const kinds = (["list", "macro", "rule"] as const).filter((k) => k in item);
  return kinds.length === 1 ? kinds[0] : undefined;
}

/**
 * Checks a rules file: every item is one list, macro or rule; every rule has non-empty `rule`, `desc`, `condition`,
 * `output` and `priority`; every priority is one of Falco's; every condition parses; every macro and list a condition
 * uses is defined earlier in the file (Falco resolves names in load order) or is a default-ruleset name the platform
 * relies on (`default-ruleset.ts`); no name is defined twice or shadows those defaults (a redefinition would change
 * every default rule that uses it). Paths are `items[i].<field>`.
 */
export function checkFalcoRuleFile(items: readonly unknown[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const macros = new Set<string>();
  const lists = new Set<string>();
  const rules = new Set<string>();
  const add = (path: string, value: unknown, allowed: string) => problems.push({ path, value, allowed });

  const checkCondition = (path: string, condition: string) => {
    const refs = conditionReferences(condition);
    if (refs.error !== undefined) add(path, condition, `a Falco condition (${refs.error})`);
    for (const m of refs.macros) {
      if (!macros.has(m) && !isDefaultMacro(m)) add(path, m, "a macro defined earlier in the file or one of the default ruleset's macros the platform relies on (lib/security/falco/default-ruleset.ts)");
    }
    for (const l of refs.lists) {
      if (!lists.has(l) && !isDefaultList(l)) add(path, l, "a list defined earlier in the file or one of the default ruleset's lists the platform relies on; a literal must be quoted");
    }
  };

  items.forEach((item, i) => {
    const at = `items[${i}]`;
    const kind = kindOf(item);
    if (kind === undefined) {
      add(at, item, "an object with exactly one of list, macro or rule");
      return;
    }
    const o = item as Record<string, unknown>;
    const name = o[kind];
    if (typeof name !== "string" || name.trim() === "") {
      add(`${at}.${kind}`, name, `the ${kind}'s name, a non-empty string`);
      return;
    }
    if (kind === "list") {
      if (lists.has(name)) add(`${at}.list`, name, "a list name not defined before in the file");
      if (isDefaultList(name)) add(`${at}.list`, name, "a name that does not replace a default-ruleset list the platform relies on");
      if (!Array.isArray(o.items)) add(`${at}.items`, o.items, "an array of quoted literals or numbers");
      else {
        o.items.forEach((v, j) => {
          if (typeof v !== "number" && (typeof v !== "string" || v === "")) add(`${at}.items[${j}]`, v, "a quoted literal or a number");
        });
      }
      lists.add(name);
    } else if (kind === "macro") {
      if (macros.has(name)) add(`${at}.macro`, name, "a macro name not defined before in the file");
      if (isDefaultMacro(name)) add(`${at}.macro`, name, "a name that does not replace a default-ruleset macro the platform relies on");
      if (typeof o.condition !== "string" || o.condition.trim() === "") add(`${at}.condition`, o.condition, "the macro's condition, a non-empty string");
      else checkCondition(`${at}.condition`, o.condition);
      macros.add(name);
    } else {
      if (rules.has(name)) add(`${at}.rule`, name, "a rule name not used before in the file");
      rules.add(name);
      for (const field of RULE_FIELDS.slice(1)) {
        const v = o[field];
        if (typeof v !== "string" || v.trim() === "") add(`${at}.${field}`, v, `the rule's ${field}, a non-empty string (required)`);
      }
      if (typeof o.priority === "string" && o.priority.trim() !== "" && !isFalcoRulePriority(o.priority)) {
        add(`${at}.priority`, o.priority, `one of Falco's priorities: ${FALCO_PRIORITIES.join(", ")} (any case; INFO for INFORMATIONAL)`);
      }
      if (typeof o.condition === "string" && o.condition.trim() !== "") checkCondition(`${at}.condition`, o.condition);
    }
  });
  return problems;
}

/** The rules file as YAML, one document: a list of lists, macros and rules in order. */
export function renderFalcoRuleFile(items: readonly FalcoRuleItem[]): string {
  return stringify(items, { lineWidth: 0, minContentWidth: 0 });
}
