import { configErrorsWith, type Mutable } from "../../../support/config-errors";
import { dev } from "../../../../environments/dev";
import { staging } from "../../../../environments/staging";
import { prod } from "../../../../environments/prod";

const messages = (base: object, mutate: (c: Mutable) => void): string => configErrorsWith(base, mutate).join("\n");

const cm = (c: Mutable) => c.security.certManager;
const PCA = "arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

describe("security.certManager configuration", () => {
  test("issuers per environment: dev an in-cluster CA, staging Let's Encrypt staging, prod Let's Encrypt production", () => {
    expect(dev.security.certManager.issuer.type).toBe("selfSignedCA");
    expect(staging.security.certManager.issuer).toEqual(expect.objectContaining({ type: "acme", server: "staging" }));
    expect(prod.security.certManager.issuer).toEqual(expect.objectContaining({ type: "acme", server: "production" }));
  });

  test("prod and staging are highly available (two or more of each, spread across zones); dev runs one of each", () => {
    for (const env of [prod, staging]) {
      const c = env.security.certManager;
      expect({ env: env.name, replicas: [c.controller.replicas, c.webhook.replicas, c.cainjector.replicas].every((r) => r >= 2), spread: c.spreadAcrossZones }).toEqual({ env: env.name, replicas: true, spread: true });
    }
    const d = dev.security.certManager;
    expect([d.controller.replicas, d.webhook.replicas, d.cainjector.replicas, d.spreadAcrossZones]).toEqual([1, 1, 1, false]);
  });

  test("AWS Private CA is accepted in place of ACME", () => {
    expect(messages(prod, (c) => (cm(c).issuer = { type: "awsPrivateCA", certificateAuthorityArn: PCA }))).toBe("");
  });

  const rules: Array<[string, object, (c: Mutable) => void, RegExp]> = [
    ["the issuer type is unknown", dev, (c) => (cm(c).issuer = { type: "vault" }), /security\.certManager\.issuer\.type: got "vault"; allowed: .*selfSignedCA.*acme.*awsPrivateCA/],
    ["an issuer carries another type's field", dev, (c) => (cm(c).issuer.email = "a@example.com"), /security\.certManager\.issuer\.email: got "a@example\.com"; allowed: no field "email" here/],
    ["the ACME server is a URL instead of production or staging", prod, (c) => (cm(c).issuer.server = "https://acme.example.com/directory"), /security\.certManager\.issuer\.server: got "https:\/\/acme\.example\.com\/directory"; allowed: one of "production", "staging"/],
    ["the ACME email is not an address", prod, (c) => (cm(c).issuer.email = "platform-oncall"), /security\.certManager\.issuer\.email: got "platform-oncall"; allowed: an email address/],
    ["ACME has no hosted zone", prod, (c) => (cm(c).issuer.hostedZones = []), /security\.certManager\.issuer\.hostedZones: got \[\]; allowed: at least 1 item\(s\) \(at least one hosted zone/],
    ["a hosted zone id is not a Route 53 id", prod, (c) => (cm(c).issuer.hostedZones[0].zoneId = "/hostedzone/Z0PROD"), /issuer\.hostedZones\[0\]\.zoneId: got "\/hostedzone\/Z0PROD"; allowed: a Route 53 hosted zone id/],
    ["a hosted zone domain is not lowercase", prod, (c) => (cm(c).issuer.hostedZones[0].domain = "Platform.Example.com"), /issuer\.hostedZones\[0\]\.domain: got "Platform\.Example\.com"; allowed: a lowercase DNS zone name/],
    ["the Private CA ARN is an ACM certificate ARN", prod, (c) => (cm(c).issuer = { type: "awsPrivateCA", certificateAuthorityArn: PCA.replace("acm-pca", "acm").replace("certificate-authority", "certificate") }), /issuer\.certificateAuthorityArn: got "arn:aws:acm:[^"]+"; allowed: an AWS Private CA ARN/],
    ["the in-cluster CA lives less than 30 days", dev, (c) => (cm(c).issuer.validityDays = 7), /issuer\.validityDays: got 7; allowed: at least 30/],
    ["the in-cluster CA's name is longer than X.509 allows", dev, (c) => (cm(c).issuer.commonName = "x".repeat(65)), /issuer\.commonName: got "x{65}"; allowed: at most 64$/],
    ["a component has no replica", prod, (c) => (cm(c).webhook.replicas = 0), /security\.certManager\.webhook\.replicas: got 0; allowed: at least 1/],
    ["a component has a CPU limit (throttling delays admission)", prod, (c) => (cm(c).webhook.resources.limits.cpu = "100m"), /security\.certManager\.webhook\.resources\.limits\.cpu: got "100m"; allowed: no field "cpu" here/],
    ["the section is missing", dev, (c) => delete c.security.certManager, /security\.certManager: got nothing; allowed: a value \(required\)/],
    ["a field is misspelt", dev, (c) => (cm(c).spreadAcrossZone = true), /security\.certManager\.spreadAcrossZone: got true; allowed: no field "spreadAcrossZone" here \(did you mean "spreadAcrossZones"\?\); known fields: issuer, controller, webhook, cainjector, spreadAcrossZones/],
  ];
  test.each(rules)("fails when %s", (_name, base, mutate, expected) => {
    expect(messages(base, mutate)).toMatch(expected);
  });
});
