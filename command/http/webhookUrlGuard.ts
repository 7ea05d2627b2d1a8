import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * The SSRF wall of webhooks: a business names a URL and the service POSTs to
 * it, so the URL must never reach the service's own network (loopback, private
 * ranges, link-local with the cloud metadata address, CGNAT, multicast). The
 * host is resolved and every address checked; delivery then connects to the
 * very address that was checked (see `pinnedLookup`), so a DNS answer that
 * changes between check and connect (rebinding) cannot slip through.
 */

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", incl. the unspecified 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. 169.254.169.254 (cloud metadata)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast 255.255.255.255
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some)
  ['ff00::', 8], // multicast
  // NAT64 and 6to4 translate to any IPv4 address, private ones included: refused as a whole.
  ['64:ff9b::', 96],
  ['2002::', 16],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address an IPv6 one embeds (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d), if any. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return undefined;
}

/** Whether a literal address is one a webhook must never reach. Anything that is not an IP literal counts as refused. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedIpv4(address);
  if (v4 !== undefined) return blocked.check(v4, 'ipv4');
  return blocked.check(address, 'ipv6');
}

export type LookupAll = (hostname: string) => Promise<LookupAddress[]>;

export const lookupAll: LookupAll = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

export interface WebhookUrlPolicy {
  /** Lifts the address wall (WEBHOOK_ALLOW_PRIVATE=true): tests with a receiver on loopback only. */
  allowPrivate?: boolean;
  lookup?: LookupAll;
}

/** A URL that passed: the addresses its host resolved to, the ones to connect to. */
export interface CheckedWebhookUrl {
  url: URL;
  addresses: LookupAddress[];
}

export class WebhookUrlRefused extends Error {
  constructor(
    message: string,
    /** `unresolvable` may pass later (DNS down); the others never will. */
    readonly reason: 'invalid' | 'forbidden_address' | 'unresolvable',
  ) {
    super(message);
  }
}

/** The shape rules alone (no DNS): http(s), a host, no credentials. */
export function webhookUrlShapeProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (url.hostname === '') return 'must name a host';
  if (raw.length > 2000) return 'must be at most 2000 characters';
  return undefined;
}

/** Checks a webhook URL: its shape, then every address its host resolves to. */
export async function checkWebhookUrl(raw: string, { allowPrivate = false, lookup = lookupAll }: WebhookUrlPolicy = {}): Promise<CheckedWebhookUrl> {
  const problem = webhookUrlShapeProblem(raw);
  if (problem) throw new WebhookUrlRefused(problem, 'invalid');
  const url = new URL(raw);
  // WHATWG keeps IPv6 literals in brackets.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: LookupAddress[];
  if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host);
    } catch (err) {
      throw new WebhookUrlRefused(`host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'unresolvable');
    }
  }
  if (addresses.length === 0) throw new WebhookUrlRefused(`host ${host} does not resolve`, 'unresolvable');
  if (!allowPrivate) {
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad) throw new WebhookUrlRefused(`host ${host} resolves to ${bad.address}, a loopback, private, link-local or otherwise internal address`, 'forbidden_address');
  }
  return { url, addresses };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http(s) requests that answers with the addresses that
 * were checked, whatever DNS says now: the connection goes where the check looked.
 */
export function pinnedLookup(addresses: readonly LookupAddress[]) {
  return (_hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    const first = addresses[0]!;
    if (typeof options === 'object' && options?.all) callback(null, [...addresses]);
    else callback(null, first.address, first.family);
  };
}
