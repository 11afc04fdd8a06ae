import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { LogStore, MAX_LINE_BYTES } from './log-store.js';

function store(t: { after(fn: () => void): void }, maxBytes: number): LogStore {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wharf-logstore-'));
  const logs = new LogStore(dir, maxBytes);
  t.after(() => {
    logs.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return logs;
}

test('lines are split across chunks, tagged by stream, filtered by since and tail', (t) => {
  const logs = store(t, 1024 * 1024);
  logs.append('stdout', Buffer.from('one\ntw'), 1000);
  logs.append('stderr', Buffer.from('err\n'), 2000);
  logs.append('stdout', Buffer.from('o\nthree\n'), 3000);
  assert.deepEqual(
    logs.read().map((line) => [line.stream, line.text, line.time]),
    [
      ['stdout', 'one', 1000],
      ['stderr', 'err', 2000],
      ['stdout', 'two', 3000],
      ['stdout', 'three', 3000],
    ],
  );
  assert.deepEqual(logs.read({ since: 2000 }).map((line) => line.text), ['err', 'two', 'three']);
  assert.deepEqual(logs.read({ tail: 1 }).map((line) => line.text), ['three']);
});

test('the cap holds: only the newest bytes stay, in order', (t) => {
  const logs = store(t, 4096);
  for (let i = 0; i < 10_000; i++) logs.append('stdout', Buffer.from(`line ${i}\n`));
  assert.ok(logs.storedBytes() <= 4096, `stored ${logs.storedBytes()} bytes`);
  const lines = logs.read().map((line) => line.text);
  assert.equal(lines.at(-1), 'line 9999');
  assert.ok(lines.length > 50);
  assert.deepEqual(lines, [...lines].sort((a, b) => Number(a.slice(5)) - Number(b.slice(5))));
});

test('over-long lines are cut; a partial line is kept at end()', (t) => {
  const logs = store(t, 1024 * 1024);
  logs.append('stdout', Buffer.alloc(MAX_LINE_BYTES * 2 + 5, 'x'));
  logs.end();
  assert.deepEqual(logs.read().map((line) => line.text.length), [MAX_LINE_BYTES, MAX_LINE_BYTES, 5]);
});

test('follow yields stored lines, then live ones, and ends with the output', async (t) => {
  const logs = store(t, 1024 * 1024);
  logs.append('stdout', Buffer.from('before\n'));
  const seen: string[] = [];
  const reading = (async () => {
    for await (const line of logs.lines({ follow: true })) seen.push(line.text);
  })();
  await new Promise((resolve) => setTimeout(resolve, 20));
  logs.append('stderr', Buffer.from('after\n'));
  logs.end();
  await reading;
  assert.deepEqual(seen, ['before', 'after']);
});
