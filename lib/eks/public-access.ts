/**
 * The broadest network a public API endpoint allow-list may name: a /16 (65,536 addresses) covers any
 * office or VPN egress range, and `0.0.0.0/1` (half the internet) or a /8 is an open endpoint in all but name.
 */
export const MIN_PUBLIC_ACCESS_PREFIX = 16;
