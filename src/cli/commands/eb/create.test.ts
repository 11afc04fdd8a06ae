// The environment name `wharf eb create` proposes without one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENVIRONMENT_NAME_PATTERN } from '../../../model/platform.js';
import { defaultEnvironmentName } from './create.js';

test('the default environment is <application>-dev, made a valid name', () => {
  assert.equal(defaultEnvironmentName('shop'), 'shop-dev');
  assert.equal(defaultEnvironmentName('My Shop_2'), 'My-Shop-2-dev');
  assert.equal(defaultEnvironmentName('---'), 'app-dev');
  for (const name of ['shop', 'My Shop_2', '---', 'x'.repeat(100), 'a', `${'y'.repeat(35)}--z`]) assert.match(defaultEnvironmentName(name), ENVIRONMENT_NAME_PATTERN, name);
});
