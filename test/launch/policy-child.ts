/**
 * A long-running command in miniature, for run-until-signal.test.ts: runUntilSignal with one part,
 * then one stray error of the kind argv[2] names (`rejection` or `exception`). Prints `ready`, then
 * `serving` once the stray error has been dealt with, and `part stopped` when its part stops.
 */
import { createLogger } from '../../src/log.js';
import { runUntilSignal } from '../../src/launch/run-until-signal.js';

const log = createLogger('info', 'policy-child');
const print = (line: string): void => void process.stdout.write(`${line}\n`);
// The part holds the event loop open, as a listening server would.
const open = setInterval(() => undefined, 60_000);
const part = {
  name: 'part',
  stop: async () => {
    clearInterval(open);
    print('part stopped');
  },
};
void runUntilSignal([part], log);
print('ready');
if (process.argv[2] === 'rejection') {
  void Promise.reject(new Error('stray rejection'));
  // Unhandled rejections are dealt with when the microtask queue drains, before any timer runs.
  setTimeout(() => print('serving'), 0);
} else {
  setImmediate(() => {
    throw new Error('stray exception');
  });
}
