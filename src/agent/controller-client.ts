/**
 * The agent's HTTP client of the controller's agent protocol. It keeps the agent's identity
 * (container instance id and credential) in `<dataDir>/agent.json`, so a restarted agent resumes as
 * the same host; a refused credential makes it register again with the join token.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makePrivateDir } from '../files.js';
import type { AgentReport, AgentReportResponse, DesiredStateResponse, RegisterAgentRequest, RegisterAgentResponse } from '../model/agent-protocol.js';
import { WharfError } from '../model/errors.js';

/** Where the agent keeps its identity. */
export const AGENT_IDENTITY_FILE = 'agent.json';

export interface AgentIdentity {
  readonly endpoint: string;
  readonly cluster: string;
  readonly containerInstanceId: string;
  readonly credential: string;
  /** What the controller presents to this agent's log server (absent in an identity saved by an older Wharf: logs are refused until it registers again). */
  readonly logsToken?: string;
}

/** An HTTP failure talking to the controller; `status` 0 when it could not be reached. */
export class ControllerCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ControllerCallError';
  }
}

export class ControllerClient {
  private identity: AgentIdentity | undefined;

  constructor(
    readonly endpoint: string,
    private readonly dataDir: string,
  ) {}

  /** The container instance id once registered. */
  get containerInstanceId(): string | undefined {
    return this.identity?.containerInstanceId;
  }

  /** The credential this agent presents to the controller. */
  get credential(): string | undefined {
    return this.identity?.credential;
  }

  /** What the controller presents when it calls this agent's log server. */
  get logsToken(): string | undefined {
    return this.identity?.logsToken;
  }

  /** Loads a saved identity for this endpoint and cluster, if any. */
  async loadIdentity(cluster: string): Promise<AgentIdentity | undefined> {
    try {
      const saved = JSON.parse(await readFile(path.join(this.dataDir, AGENT_IDENTITY_FILE), 'utf8')) as AgentIdentity;
      if (saved.endpoint === this.endpoint && saved.cluster === cluster) this.identity = saved;
    } catch {
      // none saved yet
    }
    return this.identity;
  }

  /** Registers with the join token and saves the identity (atomically: write, then rename). */
  async register(request: RegisterAgentRequest): Promise<AgentIdentity> {
    const response = await this.call<RegisterAgentResponse>('POST', '/v1/agent/register', request, false);
    const identity: AgentIdentity = { endpoint: this.endpoint, cluster: request.cluster, containerInstanceId: response.containerInstanceId, credential: response.credential, logsToken: response.logsToken };
    await makePrivateDir(this.dataDir);
    const file = path.join(this.dataDir, AGENT_IDENTITY_FILE);
    await writeFile(`${file}.tmp`, JSON.stringify(identity) + '\n', { mode: 0o600 });
    await rename(`${file}.tmp`, file);
    this.identity = identity;
    return identity;
  }

  desired(version: number | undefined, waitMs: number, signal: AbortSignal): Promise<DesiredStateResponse> {
    const query = new URLSearchParams({ waitMs: String(waitMs), ...(version === undefined ? {} : { version: String(version) }) });
    return this.call('GET', `/v1/agent/desired?${query}`, undefined, true, signal, waitMs + 10_000);
  }

  report(report: AgentReport, signal?: AbortSignal): Promise<AgentReportResponse> {
    return this.call('POST', '/v1/agent/report', report, true, signal);
  }

  private async call<T>(method: string, route: string, body: unknown, authenticated: boolean, signal?: AbortSignal, timeoutMs = 15_000): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated) {
      if (!this.identity) throw new ControllerCallError(401, 'WHARF_E_UNAUTHORIZED', 'not registered yet');
      headers.authorization = `Bearer ${this.identity.containerInstanceId}.${this.identity.credential}`;
    }
    // One controller per call, tied to the long-lived `signal` only while the call runs (a
    // listener per call left on it would pile up).
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = (): void => abort.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(route, this.endpoint + '/'), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: abort.signal });
      text = await response.text();
    } catch (error) {
      throw new ControllerCallError(0, undefined, `cannot reach the controller at ${this.endpoint}: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    if (response.ok) return JSON.parse(text) as T;
    let problem: { code?: string; detail?: string } = {};
    try {
      problem = JSON.parse(text) as typeof problem;
    } catch {
      // not a problem document
    }
    throw new ControllerCallError(response.status, problem.code, problem.detail ?? `HTTP ${response.status}`);
  }
}

/** True for a refusal that a new registration may fix (credential unknown or wrong). */
export function isAuthFailure(error: unknown): boolean {
  return error instanceof ControllerCallError && error.status === 401;
}

/** True for a user error the agent cannot fix by retrying (wrong join token, missing cluster). */
export function isPermanent(error: unknown): boolean {
  return error instanceof WharfError || (error instanceof ControllerCallError && error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 408 && error.status !== 429);
}
