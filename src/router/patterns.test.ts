import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionsRegex, routeKey } from './patterns.js';

const matches = (conditions: Parameters<typeof conditionsRegex>[0], host: string | undefined, url: string) => new RegExp(conditionsRegex(conditions)).test(routeKey(host, url) ?? '');

test('route keys: host lower-cased without port, path without query, absolute-form URLs', () => {
  assert.equal(routeKey('Example.COM:8080', '/a/b?x=1'), 'example.com#/a/b');
  assert.equal(routeKey('[::1]', '/'), '[::1]#/');
  assert.equal(routeKey('[::1]:80', '/'), '[::1]#/');
  assert.equal(routeKey('h', 'http://other/p/q?z'), 'h#/p/q');
  assert.equal(routeKey(undefined, '/x'), '#/x');
  assert.equal(routeKey('bad#host', '/x'), undefined);
});

test('host-header values: * is any run, ? one character, no case', () => {
  assert.ok(matches({ hostHeader: ['*.example.com'] }, 'api.example.com', '/'));
  assert.ok(matches({ hostHeader: ['*.example.com'] }, 'a.b.example.com', '/'));
  assert.ok(!matches({ hostHeader: ['*.example.com'] }, 'example.com', '/'));
  assert.ok(matches({ hostHeader: ['www.example.co?'] }, 'WWW.example.com', '/'));
  assert.ok(!matches({ hostHeader: ['a.test'] }, 'aXtest', '/'), 'a dot is a dot');
  assert.ok(matches({ hostHeader: ['a.test', 'b.test'] }, 'b.test', '/'));
});

test('path patterns: case-sensitive, whole path, wildcards', () => {
  assert.ok(matches({ pathPattern: ['/api/*'] }, 'h', '/api/users'));
  assert.ok(!matches({ pathPattern: ['/api/*'] }, 'h', '/API/users'));
  assert.ok(!matches({ pathPattern: ['/api'] }, 'h', '/api/x'));
  assert.ok(matches({ pathPattern: ['*.jpg'] }, 'h', '/img/a.jpg'));
  assert.ok(matches({ pathPattern: ['/v?/x'] }, 'h', '/v2/x'));
  assert.ok(matches({ pathPattern: ['/a+b(c)'] }, 'h', '/a+b(c)'), 'regex characters are literals');
});

test('a host condition cannot reach into the path', () => {
  assert.ok(!matches({ hostHeader: ['a.t'], pathPattern: ['*est/x'] }, 'a.test', '/x'));
  assert.ok(matches({ hostHeader: ['a.test'], pathPattern: ['/x'] }, 'a.test', '/x'));
});
