// The EB CLI's flags as option settings, and the usage errors for bad values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WharfError } from '../../../model/errors.js';
import { DEFAULT_TIMEOUT_MINUTES, parseEnvVars, parseSetenv, parseWholeNumber, scaleSettings, singleInstanceSettings, timeoutMs } from './options.js';

const usage = (pattern: RegExp) => (e: unknown) => e instanceof WharfError && e.code === 'WHARF_E_USAGE' && pattern.test(e.message);
const env = (OptionName: string, Value: string) => ({ Namespace: 'aws:elasticbeanstalk:application:environment', OptionName, Value });

test('--envvars takes NAME=value pairs separated by commas; a value may hold "=" or be empty', () => {
  assert.deepEqual(parseEnvVars('GREETING=hi'), [env('GREETING', 'hi')]);
  assert.deepEqual(parseEnvVars('A=1,B=x=y,C='), [env('A', '1'), env('B', 'x=y'), env('C', '')]);
  assert.deepEqual(parseEnvVars('A=1,'), [env('A', '1')], 'a trailing comma is harmless');
});

test('--envvars without "=" or without a name is a usage error that shows the form', () => {
  assert.throws(() => parseEnvVars('GREETING'), usage(/--envvars takes NAME=value pairs, e\.g\. GREETING=hi; "GREETING" has no "="/));
  assert.throws(() => parseEnvVars('A=1,=2'), usage(/"=2" has no name/));
  assert.throws(() => parseEnvVars(''), usage(/--envvars/));
});

test('setenv sets NAME=value and removes NAME=', () => {
  assert.deepEqual(parseSetenv(['GREETING=bye', 'OLD=']), {
    set: [env('GREETING', 'bye')],
    remove: [{ Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'OLD' }],
  });
  assert.throws(() => parseSetenv([]), usage(/at least one NAME=value/));
  assert.throws(() => parseSetenv(['nope']), usage(/setenv takes NAME=value/));
});

test('scale, --single and --timeout', () => {
  assert.deepEqual(scaleSettings(3), [
    { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '3' },
    { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '3' },
  ]);
  assert.deepEqual(singleInstanceSettings(), [{ Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'SingleInstance' }]);
  assert.equal(parseWholeNumber('scale', '12', 1), 12);
  for (const bad of ['two', '-1', '1.5', '0', '', '1e3']) assert.throws(() => parseWholeNumber('scale', bad, 1), usage(/scale takes a whole number of at least 1/), bad);
  assert.equal(timeoutMs(undefined), DEFAULT_TIMEOUT_MINUTES * 60_000);
  assert.equal(timeoutMs('5'), 300_000);
  assert.throws(() => timeoutMs('soon'), usage(/--timeout \(minutes\)/));
});
