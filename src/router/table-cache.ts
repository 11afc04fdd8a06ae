/**
 * The router's cache of its last table, in its data folder: a restarted router serves it (and the
 * targets that were healthy stay in rotation) before the controller answers. Written atomically
 * (a temp file renamed over the old one), so a crash leaves the previous copy whole.
 */
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { makePrivateDir, writePrivateFile } from '../files.js';
import type { RoutingTable, TargetState } from '../model/routing.js';
import { parseRoutingTable } from './table-source.js';

export const TABLE_CACHE_FILE = 'routing-table.json';

export interface CachedTable {
  readonly table: RoutingTable;
  /** Target group ARN → target id → state when saved. */
  readonly states: Readonly<Record<string, Readonly<Record<string, TargetState>>>>;
}

/** Reads the cache; undefined when there is none or it cannot be used (the reason goes to `onBad`). */
export async function readTableCache(dataDir: string, onBad: (reason: string) => void): Promise<CachedTable | undefined> {
  const file = path.join(dataDir, TABLE_CACHE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onBad(`cannot read ${file}: ${(error as Error).message}`);
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as { table?: unknown; states?: Record<string, Record<string, TargetState>> };
    return { table: parseRoutingTable(parsed.table), states: parsed.states ?? {} };
  } catch (error) {
    onBad(`ignoring ${file}: ${(error as Error).message}`);
    return undefined;
  }
}

/** Saves the cache atomically. */
export async function writeTableCache(dataDir: string, cache: CachedTable): Promise<void> {
  await makePrivateDir(dataDir);
  const file = path.join(dataDir, TABLE_CACHE_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  await writePrivateFile(temp, JSON.stringify(cache));
  await rename(temp, file);
}
