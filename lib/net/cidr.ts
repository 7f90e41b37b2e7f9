/**
 * IPv4 CIDR arithmetic, framework-free so configuration validation and constructs share one definition.
 * Addresses are unsigned 32-bit integers; every result goes through `>>> 0` because JavaScript's bitwise
 * operators work on signed 32-bit values.
 */

/** A parsed IPv4 CIDR block. */
export interface Cidr {
  /** The network address as an unsigned 32-bit integer. */
  readonly network: number;
  /** Prefix length, 0–32. */
  readonly prefix: number;
  /** Canonical text, e.g. `10.0.0.0/16`. */
  readonly text: string;
}

const CIDR_SHAPE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** The netmask of a prefix length as an unsigned 32-bit integer (`/0` is 0, not the shift overflow). */
export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Renders an unsigned 32-bit address as dotted quads. */
export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join(".");
}

/** Renders a network address and prefix as canonical CIDR text. */
export function formatCidr(network: number, prefix: number): string {
  return `${formatAddress(network)}/${prefix}`;
}

/**
 * Parses IPv4 CIDR text. Refuses, with a message naming the problem: anything that is not four dotted
 * decimal octets and a prefix, octets above 255 or with leading zeros (some tools read them as octal),
 * prefixes above 32, and host bits set (`10.0.0.1/16`), for which the canonical form is suggested,
 * because AWS and Terraform would otherwise silently use a different block than the one written.
 */
export function parseCidr(text: string): Cidr {
  if (typeof text !== "string") throw new Error(`CIDR must be a string like "10.0.0.0/16", got ${typeof text}`);
  const match = CIDR_SHAPE.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not an IPv4 CIDR block like "10.0.0.0/16"`);
  const parts = match.slice(1, 5);
  let address = 0;
  for (const part of parts) {
    if (part.length > 1 && part.startsWith("0")) {
      throw new Error(`"${text}" has an octet with a leading zero ("${part}"); write it without`);
    }
    const octet = Number(part);
    if (octet > 255) throw new Error(`"${text}" has an octet above 255 ("${part}")`);
    address = ((address << 8) | octet) >>> 0;
  }
  const prefix = Number(match[5]);
  if (match[5].length > 1 && match[5].startsWith("0")) {
    throw new Error(`"${text}" has a prefix length with a leading zero; write it without`);
  }
  if (prefix > 32) throw new Error(`"${text}" has a prefix length above 32`);
  const network = (address & prefixMask(prefix)) >>> 0;
  if (network !== address) {
    throw new Error(`"${text}" has host bits set; did you mean "${formatCidr(network, prefix)}"?`);
  }
  return { network, prefix, text: formatCidr(network, prefix) };
}

/** True when {@link parseCidr} accepts the text. */
export function isValidCidr(text: string): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}

function toCidr(value: string | Cidr): Cidr {
  return typeof value === "string" ? parseCidr(value) : value;
}

/** Number of addresses in a block (`/16` → 65536), including the ones AWS reserves. */
export function cidrSize(cidr: string | Cidr): number {
  return 2 ** (32 - toCidr(cidr).prefix);
}

/** True when every address of `inner` is also in `outer` (a block contains itself). */
export function cidrContains(outer: string | Cidr, inner: string | Cidr): boolean {
  const o = toCidr(outer);
  const i = toCidr(inner);
  return o.prefix <= i.prefix && ((i.network & prefixMask(o.prefix)) >>> 0) === o.network;
}

/** True when the two blocks share at least one address (CIDR blocks either nest or are disjoint). */
export function cidrsOverlap(a: string | Cidr, b: string | Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}
