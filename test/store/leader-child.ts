/**
 * A controller stand-in for the leadership tests: opens the PostgreSQL store, prints `waiting`,
 * competes for leadership, prints `leader <holder>` once it leads and `lost` if it loses the lock,
 * and stays alive until killed.
 *
 *   node leader-child.js <postgres-url> <holder> <pollIntervalMs>
 */
import { openStore } from '../../src/store/open.js';

const [databaseUrl, holder, poll] = process.argv.slice(2);
if (databaseUrl === undefined || holder === undefined || poll === undefined) {
  console.error('usage: leader-child.js <postgres-url> <holder> <pollIntervalMs>');
  process.exit(2);
}
const store = await openStore({ dataDir: '.', databaseUrl });
const leadership = store.leadership({ holder, pollIntervalMs: Number(poll) });
leadership.onLost(() => console.log('lost'));
console.log('waiting');
await leadership.acquire();
console.log(`leader ${holder}`);
setInterval(() => undefined, 60_000);
