/** An in-process controller on a temp data folder and an OS-chosen port, with its log captured. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { SettingsInput } from '../../src/config/settings.js';
import { resolveSettings } from '../../src/config/settings.js';
import type { RunningController } from '../../src/controller/controller.js';
import { startController } from '../../src/controller/controller.js';
import type { CleanupScope } from './temp.js';
import { tempDir } from './temp.js';
import { credentialsInDataDir, rememberCredentials, signedFetch } from './signing.js';

export interface TestController extends RunningController {
  /** Every log line so far, parsed. */
  logs(): Record<string, unknown>[];
  /** A signed (root key) fetch against the API; `path` starts with `/`. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; json: any; text: string }>;
}

export async function startTestController(scope: CleanupScope, overrides: SettingsInput = {}): Promise<TestController> {
  const dataDir = overrides.dataDir ?? (await tempDir(scope));
  const settings = resolveSettings({ apiPort: 0, logLevel: 'debug', ...overrides, dataDir }, {});
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const log = pino({ level: settings.logLevel }, sink);
  const controller = await startController(settings, log);
  scope.after(() => controller.stop());
  await controller.leading;
  rememberCredentials(controller.url, credentialsInDataDir(settings.dataDir));
  return {
    ...controller,
    logs: () => lines,
    async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const sent = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const response = await signedFetch(controller.url + path, { method, body: sent, headers: sent === undefined ? headers : { 'content-type': 'application/json', ...headers } });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, json, text };
    },
  };
}
