import { cidrContains, cidrSize, cidrsOverlap, isValidCidr, parseCidr } from "../../../lib/net";

describe("parseCidr", () => {
  test.each([
    ["10.0.0.0/16", 0x0a000000, 16],
    ["192.168.1.0/24", 0xc0a80100, 24],
    ["255.255.255.255/32", 0xffffffff, 32],
    ["0.0.0.0/0", 0, 0],
    [" 172.16.0.0/12 ", 0xac100000, 12],
  ])("parses %s", (text, network, prefix) => {
    const cidr = parseCidr(text);
    expect(cidr.network).toBe(network);
    expect(cidr.prefix).toBe(prefix);
    expect(cidr.text).toBe(text.trim());
  });

  test.each([
    ["10.0.0.1/16", /host bits set; did you mean "10\.0\.0\.0\/16"/],
    ["10.0.128.0/15", /did you mean "10\.0\.0\.0\/15"/],
    ["10.0.0.0", /not an IPv4 CIDR block/],
    ["10.0.0/16", /not an IPv4 CIDR block/],
    ["10.0.0.0/33", /prefix length above 32/],
    ["10.0.0.256/32", /octet above 255/],
    ["10.01.0.0/16", /leading zero/],
    ["10.0.0.0/08", /leading zero/],
    ["fd00::/8", /not an IPv4 CIDR block/],
    ["", /not an IPv4 CIDR block/],
  ])("refuses %j", (text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
    expect(isValidCidr(text)).toBe(false);
  });
});

describe("cidr relations", () => {
  test.each([
    ["10.0.0.0/16", 65536],
    ["10.0.0.0/28", 16],
    ["10.0.0.5/32", 1],
    ["0.0.0.0/0", 2 ** 32],
  ])("cidrSize(%s) = %d", (text, size) => {
    expect(cidrSize(text)).toBe(size);
  });

  test.each([
    ["10.0.0.0/16", "10.0.32.0/19", true],
    ["10.0.0.0/16", "10.0.0.0/16", true],
    ["10.0.0.0/16", "10.1.0.0/19", false],
    ["10.0.32.0/19", "10.0.0.0/16", false],
    ["0.0.0.0/0", "203.0.113.0/24", true],
    ["128.0.0.0/1", "127.255.255.255/32", false],
    ["128.0.0.0/1", "255.255.255.255/32", true],
  ])("cidrContains(%s, %s) = %s", (outer, inner, expected) => {
    expect(cidrContains(outer, inner)).toBe(expected);
  });

  test.each([
    ["10.0.0.0/16", "10.0.255.0/24", true],
    ["10.0.255.0/24", "10.0.0.0/16", true],
    ["10.0.0.0/17", "10.0.128.0/17", false],
    ["10.0.0.0/8", "172.16.0.0/12", false],
    ["192.168.0.0/16", "192.168.0.0/16", true],
  ])("cidrsOverlap(%s, %s) = %s", (a, b, expected) => {
    expect(cidrsOverlap(a, b)).toBe(expected);
  });

  test("relations refuse malformed input instead of answering false", () => {
    expect(() => cidrsOverlap("10.0.0.1/16", "10.0.0.0/16")).toThrow(/host bits/);
  });
});
