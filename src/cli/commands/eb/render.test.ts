// The EB CLI's layouts: event lines, the waiting progress line, status, printenv, list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnvironmentView } from '../../../model/api/platform.js';
import { eventLine, eventTime, listLines, outcomeLine, printenvLines, progressLine, statusLines } from './render.js';

const environment: EnvironmentView = {
  EnvironmentName: 'shop-dev',
  EnvironmentId: 'e-abcdefghij',
  ApplicationName: 'shop',
  VersionLabel: 'app-260105_070809',
  SolutionStackName: 'Node.js running on Wharf',
  PlatformArn: 'arn:wharf:elasticbeanstalk:local::platform/nodejs/1',
  Description: '',
  EndpointURL: '127.0.0.1:40001',
  CNAME: 'shop-dev.localhost',
  DateCreated: '2026-01-05T07:08:09.000Z',
  DateUpdated: '2026-01-05T07:09:10.123Z',
  Status: 'Ready',
  AbortableOperationInProgress: false,
  Health: 'Green',
  HealthStatus: 'Ok',
  Tier: { Name: 'WebServer', Type: 'Standard', Version: '1.0' },
  EnvironmentArn: 'arn:wharf:elasticbeanstalk:local:000000000000:environment/shop/shop-dev',
  Resources: {},
  URL: 'http://127.0.0.1:40001/',
  Operation: { Id: 2, Kind: 'deploy', Step: 'done' },
};

test('an event prints as `YYYY-MM-DD HH:MM:SS    SEVERITY    message` in UTC', () => {
  assert.equal(eventLine({ EventDate: '2026-01-05T07:08:09.456Z', Severity: 'INFO', Message: 'createEnvironment is starting.' }), '2026-01-05 07:08:09    INFO    createEnvironment is starting.');
  assert.equal(eventLine({ EventDate: '2026-01-05T07:08:09+02:00', Severity: 'ERROR', Message: 'x' }), '2026-01-05 05:08:09    ERROR    x');
  assert.equal(eventTime('not a time'), 'not a time');
});

test('the progress line names the status, the operation step and the time waited', () => {
  assert.equal(progressLine({ ...environment, Status: 'Launching', Operation: { Id: 1, Kind: 'create', Step: 'build' } }, 65_400), 'shop-dev is Launching: create, build (1:05)');
  assert.equal(progressLine(environment, 3000), 'shop-dev is Ready (0:03)');
  assert.equal(progressLine(undefined, 0), 'Waiting (0:00)');
});

test('status shows the details the EB CLI shows, and a failed last operation', () => {
  const text = statusLines(environment);
  assert.match(text, /^Environment details for: shop-dev\n {2}Application name: shop\n {2}Deployed Version: app-260105_070809\n/);
  assert.match(text, /\n {2}Tier: WebServer-Standard-1\.0\n/);
  assert.match(text, /\n {2}URL: http:\/\/127\.0\.0\.1:40001\/\n {2}Updated: 2026-01-05 07:09:10\n {2}Status: Ready\n {2}Health: Green\n/);
  assert.match(statusLines({ ...environment, Operation: { Id: 3, Kind: 'deploy', Step: 'done', Failure: 'the app exited' } }), /Last operation: deploy failed: the app exited$/);
  assert.match(statusLines({ ...environment, Status: 'Updating', Operation: { Id: 3, Kind: 'configure', Step: 'serve' } }), /Operation: configure \(step serve\)$/);
  assert.equal(outcomeLine(environment), 'Environment shop-dev is Ready (health Green, Ok) on version app-260105_070809: http://127.0.0.1:40001/');
});

test('printenv and list', () => {
  assert.equal(printenvLines({ B: '2', A: 'x=y' }), ' Environment Variables:\n     A = x=y\n     B = 2');
  assert.equal(printenvLines({}), ' Environment Variables:');
  const envs = [environment, { ...environment, EnvironmentName: 'shop-prod' }];
  assert.equal(listLines(envs, 'shop-dev', false), '* shop-dev\n  shop-prod');
  assert.equal(listLines(envs, undefined, true), '  shop-dev  (shop)\n  shop-prod  (shop)');
});
