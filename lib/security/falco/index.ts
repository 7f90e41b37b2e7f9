/** Falco: priorities and their tiers, the platform's generated rules, and the structural check of a rules file. */
export * from "./priorities";
export * from "./condition";
export * from "./default-ruleset";
export * from "./rule-file";
export * from "./rules";
