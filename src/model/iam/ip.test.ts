import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IpAddress, IpNetwork } from './ip.js';
import { networkContains, parseIpAddress, parseIpNetwork } from './ip.js';

const contains = (network: string, address: string): boolean =>
  networkContains(parseIpNetwork(network) as IpNetwork, parseIpAddress(address) as IpAddress);

test('IPv4 and IPv6 addresses; an IPv4-mapped IPv6 address is its IPv4 address', () => {
  assert.deepEqual(parseIpAddress('203.0.113.9'), { version: 4, value: 0xcb007109 });
  assert.deepEqual(parseIpAddress('::1'), { version: 6, value: 1n });
  assert.deepEqual(parseIpAddress('2001:db8::8:800:200c:417a'), { version: 6, value: 0x20010db8000000000008080020_0c417an });
  assert.deepEqual(parseIpAddress('::ffff:127.0.0.1'), { version: 4, value: 0x7f000001 });
  assert.deepEqual(parseIpAddress('::FFFF:7f00:1'), { version: 4, value: 0x7f000001 });
  for (const bad of ['', '256.0.0.1', '1.2.3', '01.2.3.4', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', 'fe80::1%eth0', '12345::', '1.2.3.4::', 'localhost']) {
    assert.equal(parseIpAddress(bad), undefined, bad);
  }
});

test('CIDR blocks: an address alone is /32 or /128; host bits are cleared', () => {
  assert.deepEqual(parseIpNetwork('10.1.2.3/8'), { version: 4, value: 0x0a000000, prefix: 8 });
  assert.deepEqual(parseIpNetwork('10.1.2.3'), { version: 4, value: 0x0a010203, prefix: 32 });
  assert.deepEqual(parseIpNetwork('2001:db8::/32'), { version: 6, value: 0x20010db8n << 96n, prefix: 32 });
  assert.deepEqual(parseIpNetwork('::1'), { version: 6, value: 1n, prefix: 128 });
  assert.deepEqual(parseIpNetwork('::ffff:10.0.0.0/104'), { version: 4, value: 0x0a000000, prefix: 8 });
  for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/-1', '/8']) assert.equal(parseIpNetwork(bad), undefined, bad);
});

test('containment, never across versions', () => {
  assert.ok(contains('10.0.0.0/8', '10.255.0.1'));
  assert.ok(!contains('10.0.0.0/8', '11.0.0.1'));
  assert.ok(contains('0.0.0.0/0', '192.0.2.1'));
  assert.ok(contains('203.0.113.9', '203.0.113.9') && !contains('203.0.113.9', '203.0.113.10'));
  assert.ok(contains('2001:db8::/32', '2001:db8:ffff::1'));
  assert.ok(!contains('2001:db8::/32', '2001:db9::1'));
  assert.ok(contains('::/0', '::1'));
  assert.ok(contains('127.0.0.0/8', '::ffff:127.0.0.1'), 'an IPv4-mapped client matches an IPv4 block');
  assert.ok(!contains('::/0', '127.0.0.1') && !contains('0.0.0.0/0', '::1'));
});
