/** Falco: priorities and their tiers, the platform's generated rules, the structural check of a rules file, and the alerts on Falco itself. */
export * from "./priorities";
export * from "./condition";
export * from "./default-ruleset";
export * from "./rule-file";
export * from "./rules";
export * from "./falco-alerts";
