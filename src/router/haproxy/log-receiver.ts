/**
 * HAProxy's log lines, read from its `wharf-log` ring buffer: the router holds one stats socket
 * session open on `show events wharf-log -w`, so lines arrive in batches over a unix stream
 * socket (cheap to read at tens of thousands of requests a second). Two kinds of line matter:
 *
 * - request lines (`REQUEST_LOG_FORMAT`): `R <frontend> <backend> <server> <status> <ms>`, one per
 *   request, which feed the per-target metrics;
 * - `Server <backend>/<server> is DOWN, reason: Health analyze …`: a failed connection marked a
 *   server down (passive health), which the router must hear at once.
 *
 * After a reload the reader attaches to the new worker's ring from its start; a session that
 * drops otherwise is reopened from the ring's end.
 */
import net from 'node:net';
import type { Logger } from '../../log.js';

export interface RequestLine {
  readonly frontend: string;
  readonly backend: string;
  readonly server: string;
  readonly status: number;
  readonly ms: number;
}

export interface LogHandlers {
  request(line: RequestLine): void;
  serverDown(backend: string, server: string, info: string): void;
}

const DOWN = /^Server ([^/\s]+)\/(\S+) is DOWN, reason: Health analyze(.*)$/;

/** Parses one log line (without its trailing newline). */
export function parseLogLine(text: string, handlers: LogHandlers): void {
  if (text.startsWith('R ')) {
    const fields = text.split(' ');
    if (fields.length < 6) return;
    const status = Number(fields[4]);
    const ms = Number(fields[5]);
    if (!Number.isFinite(status) || !Number.isFinite(ms)) return;
    handlers.request({ frontend: fields[1] as string, backend: fields[2] as string, server: fields[3] as string, status, ms });
    return;
  }
  const down = DOWN.exec(text);
  if (down) handlers.serverDown(down[1] as string, down[2] as string, (down[3] ?? '').replace(/^, info: /, '').trim());
}

/** Pause before reopening a log session that dropped. */
const REATTACH_DELAY_MS = 50;

export class LogReader {
  private current: net.Socket | undefined;
  private stopped = false;

  constructor(
    private readonly socketPath: string,
    private readonly ring: string,
    private readonly handlers: LogHandlers,
    private readonly log: Logger,
  ) {}

  /**
   * Opens a session on the worker now behind the stats socket. `fromStart`: read the ring from its
   * beginning (a new worker's ring holds only its own lines); otherwise only new lines.
   */
  attach(fromStart: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.socketPath);
      this.current = socket;
      let partial = '';
      socket.setEncoding('latin1');
      socket.on('connect', () => {
        socket.write(`show events ${this.ring} -w${fromStart ? '' : ' -n'}\n`);
        resolve();
      });
      socket.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line) parseLogLine(line, this.handlers);
      });
      socket.on('error', (error) => {
        if (this.current === socket && !this.stopped) this.log.debug({ err: error.message }, 'haproxy log session failed');
        reject(error);
      });
      socket.on('close', () => {
        // Only the session on the current worker is reopened; an old worker's ends with it.
        if (this.current !== socket || this.stopped) return;
        this.current = undefined;
        setTimeout(() => void this.attach(false).catch(() => undefined), REATTACH_DELAY_MS).unref();
      });
    });
  }

  stop(): void {
    this.stopped = true;
    this.current?.destroy();
    this.current = undefined;
  }
}
