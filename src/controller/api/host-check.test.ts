import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostAllowed, hostnameOf } from './host-check.js';

test('the host name of a Host header: port, brackets and case removed', () => {
  assert.equal(hostnameOf('127.0.0.1:7070'), '127.0.0.1');
  assert.equal(hostnameOf('[::1]:7070'), '::1');
  assert.equal(hostnameOf('Wharf.Internal'), 'wharf.internal');
  assert.equal(hostnameOf('evil.example:80'), 'evil.example');
});

test('IP addresses, localhost and listed names are answered; any other name is refused', () => {
  for (const host of ['127.0.0.1:7070', '10.1.2.3', '[::1]:7070', 'localhost:7070', 'LOCALHOST', 'sample.localhost:7070', undefined, '']) {
    assert.equal(hostAllowed(host, []), true, String(host));
  }
  for (const host of ['evil.example:7070', 'rebind.attacker.test', 'localhost.evil.example', '127.0.0.1.nip.io:7070', 'wharf.internal:7070']) {
    assert.equal(hostAllowed(host, []), false, host);
  }
  assert.equal(hostAllowed('wharf.internal:7070', ['wharf.internal']), true);
  assert.equal(hostAllowed('wharf.internal.:7070', ['wharf.internal']), true, 'a trailing dot names the same host');
});
