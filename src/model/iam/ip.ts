/**
 * IP addresses and CIDR blocks for the `IpAddress` / `NotIpAddress` condition operators
 * (`aws:SourceIp`). IPv4 and IPv6; an address without a prefix is a block of one (/32, /128).
 * An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, what a dual-stack socket reports for an IPv4
 * client) is read as the IPv4 address it maps, so IPv4 blocks match it.
 */

/** One address: IPv4 as a 32-bit number, IPv6 as a 128-bit bigint. */
export type IpAddress = { readonly version: 4; readonly value: number } | { readonly version: 6; readonly value: bigint };

/** A CIDR block: its address with the host bits cleared, and its prefix length. */
export type IpNetwork = { readonly version: 4; readonly value: number; readonly prefix: number } | { readonly version: 6; readonly value: bigint; readonly prefix: number };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const MAPPED_PREFIX = 0xffffn << 32n;
const V4_MAPPED_MASK = ~0xffffffffn & ((1n << 128n) - 1n);

function parseIpv4(text: string): number | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  return ((Number(match[1]) << 24) | (Number(match[2]) << 16) | (Number(match[3]) << 8) | Number(match[4])) >>> 0;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const parts = half.split(':');
    const out: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (HEX_GROUP.test(part)) out.push(parseInt(part, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  // An embedded IPv4 address may only end the address.
  if (halves.length === 2 && (halves[0] as string).includes('.')) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  let value = 0n;
  for (const group of [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail]) value = (value << 16n) | BigInt(group);
  return value;
}

/** Reads one address, IPv4 or IPv6; an IPv4-mapped IPv6 address becomes its IPv4 address. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 === undefined ? undefined : { version: 4, value: v4 };
  }
  const v6 = parseIpv6(text);
  if (v6 === undefined) return undefined;
  if ((v6 & V4_MAPPED_MASK) === MAPPED_PREFIX) return { version: 4, value: Number(v6 & 0xffffffffn) };
  return { version: 6, value: v6 };
}

/**
 * Reads a CIDR block (`10.0.0.0/8`, `2001:db8::/32`) or a single address. Host bits set below the
 * prefix are cleared (`10.1.2.3/8` is `10.0.0.0/8`). An IPv4-mapped IPv6 block of prefix 96 or
 * more is the IPv4 block it maps.
 */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  if (!addressText.includes(':')) {
    const v4 = parseIpv4(addressText);
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (v4 === undefined || prefix > 32) return undefined;
    return { version: 4, value: (v4 & ipv4Mask(prefix)) >>> 0, prefix };
  }
  const v6 = parseIpv6(addressText);
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  if (v6 === undefined || prefix > 128) return undefined;
  if (prefix >= 96 && (v6 & V4_MAPPED_MASK) === MAPPED_PREFIX) {
    const v4Prefix = prefix - 96;
    return { version: 4, value: (Number(v6 & 0xffffffffn) & ipv4Mask(v4Prefix)) >>> 0, prefix: v4Prefix };
  }
  return { version: 6, value: v6 & ipv6Mask(prefix), prefix };
}

function ipv4Mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function ipv6Mask(prefix: number): bigint {
  return prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(128 - prefix);
}

/** Whether the block holds the address (never across IP versions). */
export function networkContains(network: IpNetwork, address: IpAddress): boolean {
  if (network.version === 4 && address.version === 4) return ((address.value & ipv4Mask(network.prefix)) >>> 0) === network.value;
  if (network.version === 6 && address.version === 6) return (address.value & ipv6Mask(network.prefix)) === network.value;
  return false;
}
