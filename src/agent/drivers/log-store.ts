/**
 * Capped storage of one container's output, shared by both drivers: the newest `maxBytes` are kept
 * on disk in two files (`current.log`, `previous.log`; when current reaches half the cap it becomes
 * previous), so a task writing gigabytes never fills the disk. Each line is stored as
 * `<epoch ms> <o|e> <text>\n`. Lines longer than MAX_LINE_BYTES are split.
 *
 * Live lines also go to followers (`lines({follow: true})`) until `end()`.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../files.js';
import type { LogLine, LogOptions } from './driver.js';

/** Longest line stored as one; longer output is cut into lines of this size. */
export const MAX_LINE_BYTES = 16 * 1024;

const CURRENT = 'current.log';
const PREVIOUS = 'previous.log';
const NEWLINE = 0x0a;

type Follower = { line(line: LogLine): void; end(): void };

/** One container's output on disk, newest `maxBytes` kept. */
export class LogStore {
  private readonly half: number;
  private fd: number;
  private size: number;
  private readonly partial = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  private readonly partialBytes = { stdout: 0, stderr: 0 };
  private readonly followers = new Set<Follower>();
  private ended = false;

  /** Opens (or creates) the store in `dir`, appending to what is there. */
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {
    this.half = Math.max(1, Math.floor(maxBytes / 2));
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    this.fd = openSync(path.join(dir, CURRENT), 'a', PRIVATE_FILE_MODE);
    this.size = fstatSync(this.fd).size;
  }

  /** Adds a chunk of a stream's output; complete lines are stored at once, a partial one waits for its end. */
  append(stream: 'stdout' | 'stderr', chunk: Buffer, now = Date.now()): void {
    if (this.ended) return;
    const records: Buffer[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      let piece = chunk.subarray(start, end);
      // Cut over-long lines: what is waiting plus this piece may not pass MAX_LINE_BYTES.
      while (this.partialBytes[stream] + piece.length > MAX_LINE_BYTES) {
        const room = MAX_LINE_BYTES - this.partialBytes[stream];
        this.partial[stream].push(piece.subarray(0, room));
        this.partialBytes[stream] += room;
        records.push(this.takeLine(stream, now));
        piece = piece.subarray(room);
      }
      if (newline === -1) {
        if (piece.length > 0) {
          this.partial[stream].push(Buffer.from(piece));
          this.partialBytes[stream] += piece.length;
        }
        break;
      }
      this.partial[stream].push(piece);
      this.partialBytes[stream] += piece.length;
      records.push(this.takeLine(stream, now));
      start = newline + 1;
    }
    this.store(records);
  }

  /** The output has ended (the container exited): stores partial lines and ends followers. */
  end(now = Date.now()): void {
    if (this.ended) return;
    const records: Buffer[] = [];
    for (const stream of ['stdout', 'stderr'] as const) if (this.partialBytes[stream] > 0) records.push(this.takeLine(stream, now));
    this.store(records);
    this.ended = true;
    for (const follower of this.followers) follower.end();
    this.followers.clear();
  }

  /** Whether `end()` was called. */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Closes the file (after `end()`, or when the driver lets go of the container). */
  close(): void {
    for (const follower of this.followers) follower.end();
    this.followers.clear();
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  /** Bytes on disk now. */
  storedBytes(): number {
    return fileSize(path.join(this.dir, PREVIOUS)) + this.size;
  }

  /** The stored lines, oldest first, filtered by `since` and `tail`. */
  read(options: Pick<LogOptions, 'since' | 'tail'> = {}): LogLine[] {
    const lines: LogLine[] = [];
    for (const name of [PREVIOUS, CURRENT]) {
      const file = path.join(this.dir, name);
      if (!existsSync(file)) continue;
      for (const record of readFileSync(file).toString('utf8').split('\n')) {
        const line = parseRecord(record);
        if (line && (options.since === undefined || line.time >= options.since)) lines.push(line);
      }
    }
    return options.tail === undefined ? lines : lines.slice(Math.max(0, lines.length - options.tail));
  }

  /** Stored lines, then (with `follow`) live ones until `end()` or until the consumer stops. */
  async *lines(options: LogOptions = {}): AsyncGenerator<LogLine> {
    // Reading and subscribing happen in one synchronous step, so no line falls between them.
    const stored = this.read(options);
    if (!options.follow || this.ended) {
      yield* stored;
      return;
    }
    const queue: LogLine[] = [...stored];
    let done = false;
    let wake: (() => void) | undefined;
    const follower: Follower = {
      line: (line) => {
        if (options.since === undefined || line.time >= options.since) queue.push(line);
        wake?.();
      },
      end: () => {
        done = true;
        wake?.();
      },
    };
    this.followers.add(follower);
    try {
      for (;;) {
        while (queue.length > 0) yield queue.shift() as LogLine;
        if (done) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      this.followers.delete(follower);
    }
  }

  private takeLine(stream: 'stdout' | 'stderr', now: number): Buffer {
    const text = Buffer.concat(this.partial[stream]);
    this.partial[stream] = [];
    this.partialBytes[stream] = 0;
    const line: LogLine = { time: now, stream, text: text.toString('utf8') };
    for (const follower of this.followers) follower.line(line);
    return Buffer.concat([Buffer.from(`${now} ${stream === 'stdout' ? 'o' : 'e'} `), text, Buffer.from('\n')]);
  }

  private store(records: Buffer[]): void {
    if (records.length === 0) return;
    // Of a batch larger than the cap only the newest part can survive: skip writing the rest.
    let total = records.reduce((sum, record) => sum + record.length, 0);
    let first = 0;
    while (total > this.maxBytes && first < records.length - 1) total -= (records[first++] as Buffer).length;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for (let i = first; i < records.length; i++) {
      const record = records[i] as Buffer;
      if (this.size + batchBytes + record.length > this.half && this.size + batchBytes > 0) {
        this.write(batch, batchBytes);
        batch = [];
        batchBytes = 0;
        this.rotate();
      }
      batch.push(record);
      batchBytes += record.length;
    }
    this.write(batch, batchBytes);
  }

  private write(batch: Buffer[], bytes: number): void {
    if (bytes === 0) return;
    const data = batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch, bytes);
    let offset = 0;
    while (offset < data.length) offset += writeSync(this.fd, data, offset);
    this.size += bytes;
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(path.join(this.dir, CURRENT), path.join(this.dir, PREVIOUS));
    this.fd = openSync(path.join(this.dir, CURRENT), 'a', PRIVATE_FILE_MODE);
    this.size = 0;
  }
}

function parseRecord(record: string): LogLine | undefined {
  const first = record.indexOf(' ');
  if (first <= 0 || record.length < first + 3) return undefined;
  const time = Number(record.slice(0, first));
  const tag = record[first + 1];
  if (!Number.isFinite(time) || (tag !== 'o' && tag !== 'e')) return undefined;
  return { time, stream: tag === 'o' ? 'stdout' : 'stderr', text: record.slice(first + 3) };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
