// The process's policy for errors nothing caught, in a real child process: a stray rejection is
// logged with its stack and the process keeps serving; a stray exception is logged with its stack
// and the process stops its parts cleanly and exits 1.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { spawnNodeChild } from '../support/child.js';

const CHILD = fileURLToPath(new URL('./policy-child.js', import.meta.url));

/** The child's log line (JSON on stderr) whose message matches `msg`, with its error's message and stack. */
function logged(stderr: string, msg: RegExp): { err: { message: string; stack: string } } {
  const entries = stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; err: { message: string; stack: string } });
  const entry = entries.find((e) => msg.test(e.msg));
  assert.ok(entry, `a log line matching ${msg} in:\n${stderr}`);
  return entry;
}

test('an unhandled rejection is logged with its stack and the process keeps serving until a signal', async (t) => {
  const child = spawnNodeChild(CHILD, ['rejection'], t);
  await child.waitForLine(/^serving$/, 'the child to serve on after the stray rejection');
  const { err } = logged(child.stderr(), /unhandled promise rejection/);
  assert.equal(err.message, 'stray rejection');
  assert.match(err.stack, /policy-child\.(ts|js):\d+/, 'the log has the stack');
  await child.kill('SIGTERM');
  assert.deepEqual(await child.exited, { code: 0, signal: null });
  assert.ok(child.lines.includes('part stopped'));
});

test('an uncaught exception is logged with its stack; the parts stop cleanly and the exit code is 1', async (t) => {
  const child = spawnNodeChild(CHILD, ['exception'], t);
  assert.deepEqual(await child.exited, { code: 1, signal: null }, child.stderr());
  assert.ok(child.lines.includes('part stopped'), 'the parts were stopped');
  const { err } = logged(child.stderr(), /uncaught exception/);
  assert.equal(err.message, 'stray exception');
  assert.match(err.stack, /policy-child\.(ts|js):\d+/, 'the log has the stack');
});
