import { cidrContains, cidrsOverlap, planSubnets, SubnetPlanError, SubnetPlanInput, subnetPlanProblems } from "../../../lib/net";

describe("planSubnets", () => {
  test.each<[string, SubnetPlanInput, { private: string[]; public: string[]; intra: string[] }]>([
    [
      "defaults in a /16 across 3 AZs",
      { vpcCidr: "10.0.0.0/16", azCount: 3 },
      {
        private: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
        public: ["10.0.192.0/22", "10.0.196.0/22", "10.0.200.0/22"],
        intra: ["10.0.216.0/22", "10.0.220.0/22", "10.0.224.0/22"],
      },
    ],
    [
      "a /20 across 2 AZs without intra subnets",
      { vpcCidr: "10.1.0.0/20", azCount: 2, intraSubnets: false },
      { private: ["10.1.0.0/23", "10.1.2.0/23"], public: ["10.1.12.0/26", "10.1.12.64/26"], intra: [] },
    ],
    [
      "custom sizes in a single AZ slot",
      { vpcCidr: "172.16.0.0/16", azCount: 1, azSlots: 1, privateNewBits: 1, publicNewBits: 4, intraNewBits: 12 },
      { private: ["172.16.0.0/17"], public: ["172.16.128.0/20"], intra: ["172.16.144.0/28"] },
    ],
    [
      "a public block larger than the private one is aligned to its own size",
      { vpcCidr: "10.0.0.0/16", azCount: 1, azSlots: 1, privateNewBits: 2, publicNewBits: 1, intraSubnets: false },
      { private: ["10.0.0.0/18"], public: ["10.0.128.0/17"], intra: [] },
    ],
    [
      "two AZs in three slots",
      { vpcCidr: "10.0.0.0/16", azCount: 2, azSlots: 3, privateNewBits: 2, publicNewBits: 6, intraSubnets: false },
      { private: ["10.0.0.0/18", "10.0.64.0/18"], public: ["10.0.192.0/22", "10.0.196.0/22"], intra: [] },
    ],
  ])("%s", (_name, input, expected) => {
    expect(planSubnets(input)).toEqual(expected);
  });

  test.each([16, 18, 20, 22])("defaults fit six AZs in a /%d without overlaps", (prefix) => {
    const vpcCidr = `10.0.0.0/${prefix}`;
    const plan = planSubnets({ vpcCidr, azCount: 6 });
    const all = [...plan.private, ...plan.public, ...plan.intra];
    expect(all).toHaveLength(18);
    for (const [i, a] of all.entries()) {
      expect(cidrContains(vpcCidr, a)).toBe(true);
      for (const b of all.slice(i + 1)) expect(cidrsOverlap(a, b)).toBe(false);
    }
  });

  test("is deterministic and moves no existing subnet when an AZ or the intra tier is added", () => {
    const three = planSubnets({ vpcCidr: "10.0.0.0/16", azCount: 3, intraSubnets: false });
    const four = planSubnets({ vpcCidr: "10.0.0.0/16", azCount: 4 });
    expect(planSubnets({ vpcCidr: "10.0.0.0/16", azCount: 3, intraSubnets: false })).toEqual(three);
    expect(four.private.slice(0, 3)).toEqual(three.private);
    expect(four.public.slice(0, 3)).toEqual(three.public);
    expect(four.intra).toHaveLength(4);
  });

  test.each<[string, SubnetPlanInput, keyof SubnetPlanInput, RegExp]>([
    ["the VPC CIDR is malformed", { vpcCidr: "banana", azCount: 2 }, "vpcCidr", /not an IPv4 CIDR/],
    ["the VPC CIDR has host bits set", { vpcCidr: "10.0.0.1/16", azCount: 2 }, "vpcCidr", /did you mean "10\.0\.0\.0\/16"/],
    ["the VPC is larger than /16", { vpcCidr: "10.0.0.0/8", azCount: 2 }, "vpcCidr", /from \/16 to \/28/],
    ["the VPC is smaller than /28", { vpcCidr: "10.0.0.0/29", azCount: 1 }, "vpcCidr", /from \/16 to \/28/],
    ["azCount is zero", { vpcCidr: "10.0.0.0/16", azCount: 0 }, "azCount", /from 1 to 6/],
    ["azCount is above six", { vpcCidr: "10.0.0.0/16", azCount: 7 }, "azCount", /from 1 to 6/],
    ["azCount is fractional", { vpcCidr: "10.0.0.0/16", azCount: 2.5 }, "azCount", /whole number/],
    ["subnets would be smaller than /28", { vpcCidr: "10.0.0.0/16", azCount: 2, publicNewBits: 13 }, "publicNewBits", /from 1 to 12/],
    ["newBits is zero", { vpcCidr: "10.0.0.0/16", azCount: 2, privateNewBits: 0 }, "privateNewBits", /from 1 to 12/],
    ["the defaults meet a /23 VPC", { vpcCidr: "10.0.0.0/23", azCount: 2 }, "publicNewBits", /from 1 to 5/],
    ["the six default slots do not fit custom sizes", { vpcCidr: "10.0.0.0/16", azCount: 2, privateNewBits: 2 }, "privateNewBits", /6 private \/18.*slots for 6 AZs/],
    ["azSlots is below azCount", { vpcCidr: "10.0.0.0/16", azCount: 3, azSlots: 2 }, "azSlots", /from azCount \(3\) to 6/],
    ["azSlots is above six", { vpcCidr: "10.0.0.0/16", azCount: 3, azSlots: 8 }, "azSlots", /to 6/],
    ["the private subnets alone overflow", { vpcCidr: "10.0.0.0/16", azCount: 6, privateNewBits: 2 }, "privateNewBits", /do not fit the 65536 addresses of 10\.0\.0\.0\/16/],
    ["the public subnets overflow after private", { vpcCidr: "10.0.0.0/16", azCount: 4, azSlots: 4, privateNewBits: 2 }, "publicNewBits", /do not fit/],
    ["the intra subnets overflow last", { vpcCidr: "10.0.0.0/16", azCount: 3, azSlots: 3, privateNewBits: 2, publicNewBits: 5, intraNewBits: 3 }, "intraNewBits", /3 intra \/19 \(slots for 3 AZs\) do not fit/],
  ])("fails when %s", (_name, input, field, message) => {
    let error: unknown;
    try {
      planSubnets(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SubnetPlanError);
    expect(error).toBeInstanceOf(Error);
    expect((error as SubnetPlanError).field).toBe(field);
    expect((error as SubnetPlanError).message).toMatch(message);
    expect((error as SubnetPlanError).message).toContain(`${field}:`);
  });

  test("subnetPlanProblems reports every bad field at once and nothing for a good input", () => {
    expect(subnetPlanProblems({ vpcCidr: "10.0.0.0/33", azCount: 9, publicNewBits: -1 }).map((p) => p.field)).toEqual([
      "vpcCidr",
      "azCount",
      "publicNewBits",
    ]);
    expect(subnetPlanProblems({ vpcCidr: "10.0.0.0/16", azCount: 3 })).toEqual([]);
  });

  test("ignores intraNewBits when intra subnets are off", () => {
    expect(planSubnets({ vpcCidr: "10.0.0.0/16", azCount: 1, intraSubnets: false, intraNewBits: 99 }).intra).toEqual([]);
  });
});
