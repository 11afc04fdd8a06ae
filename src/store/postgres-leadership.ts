/**
 * Leadership among controllers sharing one PostgreSQL database: a session-level advisory lock
 * (`pg_try_advisory_lock`) held on a connection of its own, outside the pool, for as long as this
 * controller leads. A standby polls for the lock every `pollIntervalMs`. When the leader dies, its
 * socket closes, the server ends its session and the lock is free for the next poll.
 *
 *   standby --poll: lock free--> leader --connection error / end / failed probe--> lost (onLost)
 *      ^  poll: taken                |  release()
 *      +-----------------------------+
 *
 * While leading, a `SELECT 1` probe every `pollIntervalMs` notices a connection that died quietly.
 */
import pg from 'pg';
import type { LeadershipOptions } from './backend.js';
import type { StoreLog } from './log.js';
import type { Leadership } from './store.js';

/**
 * Advisory lock keys (two int4 keys: a class and an object). Advisory locks are per database, so
 * controllers sharing one database share these.
 */
export const PG_LOCK_CLASS = 0x57_48_52_46; // "WHRF"
export const PG_LOCK_MIGRATIONS = 1;
export const PG_LOCK_LEADER = 2;

/** PostgreSQL's limit on `application_name` (longer names are cut by the server). */
const APPLICATION_NAME_MAX = 63;

/** The leadership lock on a PostgreSQL store; made by `store.leadership()`. */
export class PostgresLeadership implements Leadership {
  private client: pg.Client | undefined;
  private leader = false;
  private pending: Promise<void> | undefined;
  private stopPending: AbortController | undefined;
  private probe: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly listeners: Array<(reason: Error) => void> = [];

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly location: string,
    private readonly options: LeadershipOptions,
    private readonly log: StoreLog,
  ) {}

  acquire(signal?: AbortSignal): Promise<void> {
    if (this.leader) return Promise.resolve();
    if (this.pending) return this.pending;
    const stop = new AbortController();
    const onAbort = () => stop.abort(signal?.reason);
    if (signal?.aborted) stop.abort(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.stopPending = stop;
    this.pending = this.pollUntilLeader(stop.signal).finally(() => {
      signal?.removeEventListener('abort', onAbort);
      this.pending = undefined;
      this.stopPending = undefined;
    });
    return this.pending;
  }

  isLeader(): boolean {
    return this.leader;
  }

  onLost(listener: (reason: Error) => void): void {
    this.listeners.push(listener);
  }

  async release(): Promise<void> {
    this.stopPending?.abort(new Error('Leadership was released while waiting for it.'));
    this.stopProbe();
    const client = this.client;
    const wasLeader = this.leader;
    this.client = undefined;
    this.leader = false;
    if (client === undefined) return;
    if (wasLeader) {
      // Closing the session frees the lock anyway; unlocking first frees it even if close is slow.
      await client.query('SELECT pg_advisory_unlock($1, $2)', [PG_LOCK_CLASS, PG_LOCK_LEADER]).catch(() => undefined);
      this.log.info({ holder: this.options.holder, location: this.location }, 'leadership released');
    }
    await client.end().catch(() => undefined);
  }

  private async pollUntilLeader(signal: AbortSignal): Promise<void> {
    let announcedWait = false;
    for (;;) {
      signal.throwIfAborted();
      try {
        const client = this.client ?? (await this.connect(signal));
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [PG_LOCK_CLASS, PG_LOCK_LEADER]);
        if (signal.aborted) {
          // We may have just taken the lock: ending the session gives it back.
          this.dropClient();
          signal.throwIfAborted();
        }
        if (rows[0]?.locked === true && this.client === client) {
          this.leader = true;
          this.startProbe(client);
          this.log.info({ holder: this.options.holder, location: this.location }, 'leadership acquired');
          return;
        }
        if (!announcedWait) {
          announcedWait = true;
          this.log.info({ holder: this.options.holder, location: this.location }, 'waiting for leadership: another controller leads');
        }
      } catch (error) {
        signal.throwIfAborted();
        this.log.warn({ holder: this.options.holder, location: this.location, err: error }, 'leadership poll failed; retrying');
        this.dropClient();
      }
      await sleep(this.options.pollIntervalMs, signal);
    }
  }

  private async connect(signal: AbortSignal): Promise<pg.Client> {
    const client = new pg.Client({
      ...this.config,
      application_name: `wharf-leader ${this.options.holder}`.slice(0, APPLICATION_NAME_MAX),
      // Bounds the lock poll and the probe, so a server that stops answering is noticed.
      query_timeout: this.config.connectionTimeoutMillis,
    });
    client.on('error', (error) => this.connectionFailed(client, error));
    client.on('end', () => this.connectionFailed(client, new Error('The leadership connection to PostgreSQL ended.')));
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (signal.aborted) {
      await client.end().catch(() => undefined);
      signal.throwIfAborted();
    }
    this.client = client;
    return client;
  }

  /** The leadership connection broke: a leader has lost the lock (the server ends the session). */
  private connectionFailed(client: pg.Client, error: Error): void {
    if (client !== this.client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    if (!this.leader) return;
    this.leader = false;
    this.stopProbe();
    this.log.warn({ holder: this.options.holder, location: this.location, err: error }, 'leadership lost');
    for (const listener of this.listeners) {
      try {
        listener(error);
      } catch (listenerError) {
        this.log.error({ err: listenerError }, 'leadership onLost listener threw');
      }
    }
  }

  private dropClient(): void {
    const client = this.client;
    this.client = undefined;
    if (client) void client.end().catch(() => undefined);
  }

  private startProbe(client: pg.Client): void {
    this.probe = setInterval(() => {
      if (this.probing) return;
      this.probing = true;
      client
        .query('SELECT 1')
        .catch((error: unknown) => this.connectionFailed(client, error instanceof Error ? error : new Error(String(error))))
        .finally(() => {
          this.probing = false;
        });
    }, this.options.pollIntervalMs);
    this.probe.unref();
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
  }
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
