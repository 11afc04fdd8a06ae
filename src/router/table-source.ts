/**
 * Where the router gets its routing table from. One small interface, two sources: in process
 * (`wharf up` and tests set the table directly) and HTTP (a router elsewhere long-polls the
 * controller). A source only delivers tables and reports failures; the router decides what to do
 * (it keeps serving its last table through any failure).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { RoutingTable, RoutingTableInput, RouterTableResponse } from '../model/routing.js';
import { ROUTER_TABLE_PATH, routingTableSchema } from '../model/routing.js';
import { parseInput } from '../model/validation.js';

export interface TableSink {
  /** A table newer than the last one delivered. */
  table(table: RoutingTable): void;
  /** The source failed to get a table (the router keeps its last one); `recovered` follows once it works again. */
  failed(error: unknown): void;
  recovered(): void;
}

export interface TableSource {
  /** A short description for logs, e.g. `http://127.0.0.1:7070`. */
  readonly description: string;
  /** Starts delivering tables to `sink`; `knownVersion` is the version the router already serves (from its cache). */
  start(sink: TableSink, knownVersion: number): void;
  stop(): Promise<void>;
}

/** Parses a table from the controller (or a cache file) with the one schema; throws WHARF_E_VALIDATION. */
export function parseRoutingTable(input: unknown): RoutingTable {
  return parseInput(routingTableSchema, input, 'routing table');
}

/** A source the owner sets tables on directly (`wharf up`, tests). */
export class InProcessTableSource implements TableSource {
  readonly description = 'in-process';
  private sink: TableSink | undefined;
  private latest: RoutingTable | undefined;
  private delivered = -1;

  /** Validates and delivers a table; a table with a version not newer than the last is ignored. Returns the parsed table. */
  set(input: RoutingTableInput): RoutingTable {
    const table = parseRoutingTable(input);
    if (this.latest && table.version <= this.latest.version) return table;
    this.latest = table;
    this.deliver();
    return table;
  }

  start(sink: TableSink, knownVersion: number): void {
    this.sink = sink;
    this.delivered = knownVersion;
    this.deliver();
  }

  stop(): Promise<void> {
    this.sink = undefined;
    return Promise.resolve();
  }

  private deliver(): void {
    if (!this.sink || !this.latest || this.latest.version <= this.delivered) return;
    this.delivered = this.latest.version;
    this.sink.table(this.latest);
  }
}

export interface HttpTableSourceOptions {
  /** The controller's base URL, e.g. http://127.0.0.1:7070. */
  readonly endpoint: string;
  /** The cluster's join token, presented as a bearer token (the controller's router endpoints want it). */
  readonly token?: string;
  /** How long the controller may hold a poll open. */
  readonly waitMs?: number;
  /** First pause after a failure; doubles up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** How long a long poll may wait at the controller. */
export const DEFAULT_TABLE_WAIT_MS = 25_000;

/** Long-polls `GET /v1/router/table?version=N&waitMs=M` on the controller. */
export class HttpTableSource implements TableSource {
  readonly description: string;
  private readonly abort = new AbortController();
  private readonly dispatcher = new Agent({ connectTimeout: 5_000 });
  private loop: Promise<void> | undefined;

  constructor(private readonly options: HttpTableSourceOptions) {
    this.description = options.endpoint;
  }

  start(sink: TableSink, knownVersion: number): void {
    this.loop = this.run(sink, knownVersion);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop?.catch(() => undefined);
    await this.dispatcher.close().catch(() => undefined);
  }

  private async run(sink: TableSink, knownVersion: number): Promise<void> {
    const waitMs = this.options.waitMs ?? DEFAULT_TABLE_WAIT_MS;
    const firstBackoff = this.options.backoffMs ?? 500;
    const maxBackoff = this.options.maxBackoffMs ?? 5_000;
    let version = knownVersion;
    let backoff = firstBackoff;
    let failing = false;
    while (!this.abort.signal.aborted) {
      try {
        const url = new URL(ROUTER_TABLE_PATH, this.options.endpoint);
        url.searchParams.set('version', String(version));
        url.searchParams.set('waitMs', String(waitMs));
        const response = await request(url, {
          dispatcher: this.dispatcher,
          signal: this.abort.signal,
          headersTimeout: waitMs + 10_000,
          bodyTimeout: 30_000,
          headers: { accept: 'application/json', ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}) },
        });
        const text = await response.body.text();
        if (response.statusCode !== 200) throw new Error(`the controller answered ${response.statusCode}: ${text.slice(0, 200)}`);
        const body = JSON.parse(text) as RouterTableResponse;
        const table = parseRoutingTable({ ...body.table, version: body.version });
        if (failing) {
          failing = false;
          sink.recovered();
        }
        backoff = firstBackoff;
        if (table.version !== version) {
          version = table.version;
          sink.table(table);
        }
      } catch (error) {
        if (this.abort.signal.aborted) return;
        failing = true;
        sink.failed(error);
        await delay(backoff, undefined, { signal: this.abort.signal }).catch(() => undefined);
        backoff = Math.min(maxBackoff, backoff * 2);
      }
    }
  }
}
