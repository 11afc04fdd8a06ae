/**
 * A controller stand-in for the durability tests: opens the store and appends events for ever,
 * alternating single appends and three-event transactions, and prints `ack <id>` for each event
 * only after the call that wrote it has returned. The test kills it with SIGKILL at some point and
 * checks that every acknowledged id is in the store.
 *
 *   node writer-child.js <dataDir | postgres-url> <resourceId>
 */
import { openStore } from '../../src/store/open.js';

const [where, resourceId] = process.argv.slice(2);
if (where === undefined || resourceId === undefined) {
  console.error('usage: writer-child.js <dataDir | postgres-url> <resourceId>');
  process.exit(2);
}
const store = await openStore(where.startsWith('postgres') ? { dataDir: '.', databaseUrl: where } : { dataDir: where });
const event = (n: number) => ({ resourceType: 'durability', resourceId, severity: 'INFO' as const, message: `event ${n}`, requestId: null });

console.log('ready');
for (let n = 0; ; n += 4) {
  const single = await store.events.append(event(n));
  process.stdout.write(`ack ${single.id}\n`);
  const batch = await store.transaction(async (tx) => [
    await tx.events.append(event(n + 1)),
    await tx.events.append(event(n + 2)),
    await tx.events.append(event(n + 3)),
  ]);
  process.stdout.write(batch.map((e) => `ack ${e.id}\n`).join(''));
}
