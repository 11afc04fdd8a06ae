import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { WharfError } from '../model/errors.js';
import { DEFAULT_API_PORT, resolveSettings } from './settings.js';

test('defaults, then environment, then flags', () => {
  const defaults = resolveSettings({}, {});
  assert.equal(defaults.apiPort, DEFAULT_API_PORT);
  assert.equal(defaults.dataDir, path.resolve('.wharf'));
  assert.equal(defaults.databaseUrl, undefined);

  const fromEnv = resolveSettings({}, { WHARF_API_PORT: '9000', WHARF_DATABASE_URL: 'postgres://db/wharf' });
  assert.equal(fromEnv.apiPort, 9000);
  assert.equal(fromEnv.databaseUrl, 'postgres://db/wharf');

  const flagsWin = resolveSettings({ apiPort: '9100', dataDir: '/tmp/x' }, { WHARF_API_PORT: '9000' });
  assert.equal(flagsWin.apiPort, 9100);
  assert.equal(flagsWin.dataDir, '/tmp/x');
  assert.ok(Object.isFrozen(flagsWin));
});

test('a bad value names the setting, its flag and its variable', () => {
  assert.throws(
    () => resolveSettings({}, { WHARF_API_PORT: 'eighty' }),
    (error: unknown) => {
      assert.ok(error instanceof WharfError);
      assert.equal(error.code, 'WHARF_E_USAGE');
      assert.match(error.message, /apiPort/);
      assert.match(error.message, /--api-port or WHARF_API_PORT/);
      return true;
    },
  );
  assert.throws(() => resolveSettings({ logLevel: 'loud' as never }, {}), /logLevel/);
});
