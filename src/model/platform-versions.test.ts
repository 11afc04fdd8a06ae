// Platform versions as EB describes them, and ListPlatformVersions' and ListPlatformBranches' filters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlatformVersionInfo } from './platform-versions.js';
import { branchNameOf, compareVersions, matchesBranchFilters, matchesPlatformFilters, platformArnOf, platformBranchSummary, platformSummary } from './platform-versions.js';

const NODE: PlatformVersionInfo = { platform: 'nodejs', version: '20.20.2', operatingSystem: { name: 'Debian GNU/Linux', version: '12' } };
const DOCKER: PlatformVersionInfo = { platform: 'docker', version: '28.2.2', operatingSystem: NODE.operatingSystem };

test('names and ARNs: the branch is the runtime and its major version', () => {
  assert.equal(branchNameOf(NODE), 'Node.js 20 running on Wharf');
  assert.equal(platformArnOf('us-east-1', NODE), 'arn:wharf:elasticbeanstalk:us-east-1::platform/Node.js 20 running on Wharf/20.20.2');
});

test('versions order part by part, numerically', () => {
  assert.equal(compareVersions('20.9.0', '20.10.0'), -1);
  assert.equal(compareVersions('3.11', '3.11.0'), 0);
  assert.equal(compareVersions('28.2.2', '3.11.7'), 1);
});

test('platform filters: each operator, list attributes, the lifecycle state in either case', () => {
  const node = platformSummary('r', NODE);
  const docker = platformSummary('r', DOCKER);
  const pass = (summary: typeof node, info: PlatformVersionInfo, Type: string, Operator: string, value: string) => matchesPlatformFilters(summary, info, [{ Type, Operator, Values: [value] } as never]);
  assert.ok(pass(node, NODE, 'PlatformVersion', '>', '20.9'));
  assert.ok(!pass(node, NODE, 'PlatformVersion', '<', '20.9'));
  assert.ok(pass(node, NODE, 'PlatformName', 'ends_with', 'on Wharf'));
  assert.ok(pass(node, NODE, 'SupportedTier', '=', 'WebServer/Standard'));
  assert.ok(!pass(node, NODE, 'SupportedTier', '!=', 'WebServer/Standard'));
  assert.ok(pass(node, NODE, 'PlatformLifecycleState', '=', 'recommended'));
  assert.ok(pass(node, NODE, 'ProgrammingLanguageName', '=', 'Node.js'));
  assert.ok(!pass(docker, DOCKER, 'ProgrammingLanguageName', '=', 'Node.js'), 'docker has no programming language');
  assert.ok(pass(node, NODE, 'OperatingSystemName', 'contains', 'Debian'));
});

test('branch filters: in and not_in take several values', () => {
  const branch = platformBranchSummary(NODE, 1);
  assert.ok(matchesBranchFilters(branch, [{ Attribute: 'PlatformName', Operator: 'in', Values: ['Python', 'Node.js'] }]));
  assert.ok(!matchesBranchFilters(branch, [{ Attribute: 'PlatformName', Operator: 'not_in', Values: ['Python', 'Node.js'] }]));
  assert.ok(matchesBranchFilters(branch, [{ Attribute: 'LifecycleState', Operator: '=', Values: ['Supported'] }]));
  assert.ok(!matchesBranchFilters(branch, [{ Attribute: 'TierType', Operator: '=', Values: ['Worker/SQS/HTTP'] }]));
});
