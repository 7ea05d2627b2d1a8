import fc from 'fast-check';
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isForbiddenAddress, pinnedLookup, WebhookUrlRefused } from './webhookUrlGuard.ts';

const resolvesTo = (...addresses: string[]) => async (): Promise<LookupAddress[]> => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

const refusal = async (url: string, lookup = resolvesTo('93.184.216.34')) => {
  try {
    await checkWebhookUrl(url, { lookup });
  } catch (err) {
    if (err instanceof WebhookUrlRefused) return err.reason;
    throw err;
  }
  return undefined;
};

const octet = fc.integer({ min: 0, max: 255 });
const v4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`;
const hex4 = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));

/** Addresses in every range the wall refuses, drawn at random within each range. */
const privateIpv4 = fc.oneof(
  fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(10, b, c, d)),
  fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(127, b, c, d)),
  fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([b, c, d]) => v4(172, b, c, d)),
  fc.tuple(octet, octet).map(([c, d]) => v4(192, 168, c, d)),
  fc.tuple(octet, octet).map(([c, d]) => v4(169, 254, c, d)),
  fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([b, c, d]) => v4(100, b, c, d)),
  fc.tuple(fc.integer({ min: 224, max: 255 }), octet, octet, octet).map(([a, b, c, d]) => v4(a, b, c, d)),
  fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(0, b, c, d)),
);
const privateIpv6 = fc.oneof(
  fc.constant('::1'),
  fc.constant('::'),
  fc.tuple(fc.integer({ min: 0xfc00, max: 0xfdff }), hex4, hex4).map(([a, b, c]) => `${a.toString(16)}:${b}::${c}`),
  fc.tuple(fc.integer({ min: 0xfe80, max: 0xfebf }), hex4).map(([a, b]) => `${a.toString(16)}::${b}`),
  fc.tuple(fc.integer({ min: 0xff00, max: 0xffff }), hex4).map(([a, b]) => `${a.toString(16)}::${b}`),
  privateIpv4.map((a) => `::ffff:${a}`),
);

describe('webhook address wall', () => {
  it('refuses every generated loopback, private, link-local, CGNAT, multicast or unspecified address, and its IPv4-mapped IPv6 form', () => {
    fc.assert(fc.property(fc.oneof(privateIpv4, privateIpv6), (address) => isForbiddenAddress(address)));
  });

  it('refuses a URL whose host resolves to any such address, even when another answer is public', async () => {
    await fc.assert(
      fc.asyncProperty(privateIpv4, async (address) => (await refusal('https://hooks.example/x', resolvesTo('93.184.216.34', address))) === 'forbidden_address'),
      { numRuns: 50 },
    );
  });

  it('lets public addresses through', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:8.8.8.8']) {
      expect(isForbiddenAddress(address), address).toBe(false);
    }
  });

  it('refuses literal internal hosts, the metadata address and hex-spelled mapped addresses', async () => {
    expect(await refusal('http://127.0.0.1:8080/hook')).toBe('forbidden_address');
    expect(await refusal('http://169.254.169.254/latest/meta-data/')).toBe('forbidden_address');
    expect(await refusal('http://[::1]/')).toBe('forbidden_address');
    expect(await refusal('http://[::ffff:7f00:1]/')).toBe('forbidden_address');
    expect(await refusal('http://0x7f000001/')).toBe('forbidden_address');
    expect(await refusal('http://localhost/', resolvesTo('127.0.0.1', '::1'))).toBe('forbidden_address');
  });

  it('refuses other schemes and URLs with credentials; any port is fine', async () => {
    expect(await refusal('ftp://files.example/x')).toBe('invalid');
    expect(await refusal('file:///etc/passwd')).toBe('invalid');
    expect(await refusal('https://user:secret@hooks.example/')).toBe('invalid');
    expect(await refusal('https://hooks.example:8443/x')).toBeUndefined();
  });

  it('a host that does not resolve is refused as unresolvable', async () => {
    const failing = () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    expect(await refusal('https://nowhere.invalid/', failing)).toBe('unresolvable');
  });

  it('with allowPrivate the wall is lifted (tests only), the shape rules are not', async () => {
    await expect(checkWebhookUrl('http://127.0.0.1:9/x', { allowPrivate: true })).resolves.toMatchObject({ addresses: [{ address: '127.0.0.1' }] });
    await expect(checkWebhookUrl('ftp://127.0.0.1/', { allowPrivate: true })).rejects.toThrow(WebhookUrlRefused);
  });

  it('the pinned lookup answers with the checked addresses, whatever name is asked', () => {
    const lookup = pinnedLookup([{ address: '93.184.216.34', family: 4 }]);
    let single: unknown;
    lookup('rebound.example', {}, (_e, address, family) => (single = [address, family]));
    expect(single).toEqual(['93.184.216.34', 4]);
    let all: unknown;
    lookup('rebound.example', { all: true }, (_e, address) => (all = address));
    expect(all).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });
});
