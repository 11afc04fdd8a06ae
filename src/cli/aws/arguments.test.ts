// Option words → request values, typed by the shapes of Wharf's own request schemas (ECS's and ELBv2's).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { WharfError } from '../../model/errors.js';
import { conform, unpackArgument } from './arguments.js';
import { ECS_API } from '../../model/api/ecs.js';
import { ELBV2_API } from '../../model/api/load-balancing.js';
import type { ApiOperations } from '../../model/api/operation.js';
import type { RequestShape } from '../../model/api/shape.js';
import { shapeOf } from '../../model/api/shape.js';

const ECS = ECS_API;
const ELBV2: ApiOperations = ELBV2_API;
const member = (api: ApiOperations, operation: string, name: string): RequestShape => {
  const input = shapeOf(api[operation]!.request);
  assert.ok(input.kind === 'structure');
  return input.members[name]!();
};
const usage = (pattern: RegExp) => (e: unknown) => e instanceof WharfError && e.code === 'WHARF_E_USAGE' && pattern.test(e.message);

test('a structure option takes shorthand, typed by its members (numbers, booleans, nested structures)', () => {
  const ref = member(ECS, 'UpdateService', 'deploymentConfiguration');
  assert.deepEqual(unpackArgument(ref, '--deployment-configuration', ['maximumPercent=200,minimumHealthyPercent=100']), { maximumPercent: 200, minimumHealthyPercent: 100 });
  assert.deepEqual(unpackArgument(ref, '--deployment-configuration', ['deploymentCircuitBreaker={enable=true,rollback=false},maximumPercent=150']), {
    deploymentCircuitBreaker: { enable: true, rollback: false },
    maximumPercent: 150,
  });
});

test('JSON is still taken wherever shorthand is, and file:// reads the value from a file', (t) => {
  const ref = member(ECS, 'UpdateService', 'deploymentConfiguration');
  assert.deepEqual(unpackArgument(ref, '--deployment-configuration', ['{"maximumPercent":200}']), { maximumPercent: 200 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wharf-args-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'dc.txt'), 'maximumPercent=120');
  assert.deepEqual(unpackArgument(ref, '--deployment-configuration', [`file://${dir}/dc.txt`]), { maximumPercent: 120 });
  assert.throws(() => unpackArgument(ref, '--deployment-configuration', [`file://${dir}/none`]), usage(/'--deployment-configuration': Unable to load paramfile/));
});

test('a list of structures takes one shorthand word per element: --tags key=team,value=web key=env,value=prod', () => {
  const ref = member(ECS, 'CreateCluster', 'tags');
  assert.deepEqual(unpackArgument(ref, '--tags', ['key=team,value=web', 'key=env,value=prod']), [
    { key: 'team', value: 'web' },
    { key: 'env', value: 'prod' },
  ]);
  assert.deepEqual(unpackArgument(ref, '--tags', ['[{"key":"a","value":"b"}]']), [{ key: 'a', value: 'b' }]);
  assert.deepEqual(unpackArgument(ref, '--tags', ['{"key":"a","value":"b"}', '{"key":"c"}']), [{ key: 'a', value: 'b' }, { key: 'c' }]);
});

test('the old silent mis-parse is an error naming the option, the bad key and the valid ones', () => {
  const ref = member(ECS, 'CreateCluster', 'tags');
  assert.throws(() => unpackArgument(ref, '--tags', ['team=web']), usage(/Error parsing parameter '--tags': --tags\[0\]: unknown key "team"; valid keys are key, value/));
  assert.throws(() => unpackArgument(ref, '--tags', ['key=team,value=web,x']), usage(/--tags\[0\]\.value: expected one value, got the list web, x/));
  assert.throws(() => unpackArgument(ref, '--tags', ['nonsense']), usage(/Expected: '=', received: 'EOF'/));
});

test('lists of scalars are words (or one JSON array); numbers are checked', () => {
  const services = member(ECS, 'DescribeServices', 'services');
  assert.deepEqual(unpackArgument(services, '--services', ['web', 'web2']), ['web', 'web2']);
  assert.deepEqual(unpackArgument(services, '--services', ['["a","b"]']), ['a', 'b']);
  const count = member(ECS, 'CreateService', 'desiredCount');
  assert.equal(unpackArgument(count, '--desired-count', ['3']), 3);
  assert.throws(() => unpackArgument(count, '--desired-count', ['three']), usage(/'--desired-count': --desired-count: expected a number, got the string "three"/));
  assert.throws(() => unpackArgument(count, '--desired-count', ['1', '2']), usage(/expected one value, got 2/));
});

test('JSON keeps its types: a string where a number belongs is an error, not converted', () => {
  const ref = member(ECS, 'UpdateService', 'deploymentConfiguration');
  assert.throws(() => unpackArgument(ref, '--deployment-configuration', ['{"maximumPercent":"200"}']), usage(/maximumPercent: expected a number, got the string "200"/));
  assert.throws(() => unpackArgument(ref, '--deployment-configuration', ['{"maximumPercent":'], ), usage(/Invalid JSON/));
});

test("ELBv2's shapes: targets, matcher, attributes, in shorthand", () => {
  const targets = member(ELBV2, 'RegisterTargets', 'Targets');
  assert.deepEqual(unpackArgument(targets, '--targets', ['Id=10.0.0.1,Port=80', 'Id=10.0.0.2']), [{ Id: '10.0.0.1', Port: 80 }, { Id: '10.0.0.2' }]);
  assert.throws(() => unpackArgument(targets, '--targets', ['Port=80']), usage(/missing required key Id/));
  const matcher = member(ELBV2, 'CreateTargetGroup', 'Matcher');
  assert.deepEqual(unpackArgument(matcher, '--matcher', ['HttpCode="200,204"']), { HttpCode: '200,204' });
  const conditions = member(ELBV2, 'CreateRule', 'Conditions');
  assert.deepEqual(unpackArgument(conditions, '--conditions', ['Field=path-pattern,Values=/api/*,/v2/*']), [{ Field: 'path-pattern', Values: ['/api/*', '/v2/*'] }]);
  assert.deepEqual(unpackArgument(conditions, '--conditions', ['Field=host-header,HostHeaderConfig={Values=[a.example.com]}']), [{ Field: 'host-header', HostHeaderConfig: { Values: ['a.example.com'] } }]);
});

test('property: any request value of a structure shape survives JSON → shorthand → parse', () => {
  // Deployment configurations written both ways give the same request.
  const ref = member(ECS, 'UpdateService', 'deploymentConfiguration');
  fc.assert(
    fc.property(fc.record({ maximumPercent: fc.nat(1000), minimumHealthyPercent: fc.nat(100), deploymentCircuitBreaker: fc.record({ enable: fc.boolean(), rollback: fc.boolean() }) }, { requiredKeys: [] }), (generated) => {
      let config = generated;
      const shorthand = Object.entries(config)
        .map(([k, v]) => `${k}=${typeof v === 'object' ? `{${Object.entries(v).map(([a, b]) => `${a}=${String(b)}`).join(',')}}` : String(v)}`)
        .join(',');
      fc.pre(shorthand !== '');
      config = JSON.parse(JSON.stringify(config)) as typeof config;
      assert.deepEqual(unpackArgument(ref, '--deployment-configuration', [shorthand]), config);
      assert.deepEqual(unpackArgument(ref, '--deployment-configuration', [JSON.stringify(config)]), config);
    }),
  );
  fc.assert(
    fc.property(fc.array(fc.record({ key: fc.stringMatching(/^[A-Za-z0-9_.:/+@-]{1,12}$/), value: fc.string({ maxLength: 12 }) }), { minLength: 1, maxLength: 4 }), (generated) => {
      const tags = JSON.parse(JSON.stringify(generated)) as typeof generated;
      const words = tags.map((t) => `key=${t.key},value="${t.value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
      assert.deepEqual(unpackArgument(member(ECS, 'CreateCluster', 'tags'), '--tags', words), tags);
      assert.deepEqual(conform(member(ECS, 'CreateCluster', 'tags'), tags, '--tags', 'json'), tags);
    }),
  );
});
