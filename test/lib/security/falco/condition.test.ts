import { conditionReferences, tokenizeCondition } from "../../../../lib/security/falco/condition";

describe("tokenizeCondition", () => {
  test("splits words, strings, operators, parentheses and commas, keeping field arguments whole", () => {
    const tokens = tokenizeCondition(`proc.aname[2] != "a b" and fd.name in ('/x', y)`);
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ["word", "proc.aname[2]"], ["operator", "!="], ["string", '"a b"'], ["word", "and"], ["word", "fd.name"], ["word", "in"],
      ["lparen", "("], ["string", "'/x'"], ["comma", ","], ["word", "y"], ["rparen", ")"],
    ]);
  });

  test("an escaped quote stays inside its string", () => {
    expect(tokenizeCondition(`a.b = "x\\"y"`).map((t) => t.text)).toEqual(["a.b", "=", `"x\\"y"`]);
  });

  test("fails on an unterminated string", () => {
    expect(() => tokenizeCondition(`a.b = "x`)).toThrow(/unterminated string starting at offset 6/);
  });
});

describe("conditionReferences", () => {
  test("collects macros, lists and fields of a nested condition", () => {
    const refs = conditionReferences(`spawned_process and (container or not my_macro) and proc.name in (shell_binaries, "sh", 2) and fd.sport exists`);
    expect(refs.error).toBeUndefined();
    expect([...refs.macros].sort()).toEqual(["container", "my_macro", "spawned_process"]);
    expect(refs.lists).toEqual(["shell_binaries"]);
    expect([...refs.fields].sort()).toEqual(["fd.sport", "proc.name"]);
  });

  test("keywords and operators are case-insensitive", () => {
    expect(conditionReferences(`A AND NOT b OR c.d IN ("x")`).error).toBeUndefined();
  });

  test("a field compared with a bare value or another field", () => {
    const refs = conditionReferences("fd.name startswith /etc/ and proc.pid = proc.vpid");
    expect(refs.error).toBeUndefined();
    expect(refs.macros).toEqual([]);
    expect([...refs.fields].sort()).toEqual(["fd.name", "proc.pid", "proc.vpid"]);
  });

  const bad: Array<[string, string, RegExp]> = [
    ["an empty condition", "  ", /the condition is empty/],
    ["an unbalanced parenthesis", "(a and b", /expected '\)' at the end/],
    ["a dangling and", "a and", /expected a macro, a field or '\(' at the end/],
    ["a field without an operator", "proc.name", /expected an operator after proc.name at the end/],
    ["an unknown operator", "proc.name like x", /expected an operator after proc.name at offset 10, got "like"/],
    ["a list operator without parentheses", "proc.name in shell_binaries", /expected '\(' after in/],
    ["an empty list", "proc.name in ()", /empty list/],
    ["a list item that is neither quoted nor a name", "fd.name in (/etc/shadow)", /expected a quoted literal, a number or a list name/],
    ["two conditions without and/or", "a b", /unexpected "b" at offset 2/],
    ["a comparison without a value", "proc.name = and a", /expected a value after =/],
    ["a bang without equals", "proc.name ! x", /'!' without '='/],
  ];
  test.each(bad)("fails when %s", (_name, condition, message) => {
    expect(conditionReferences(condition).error).toMatch(message);
  });
});
