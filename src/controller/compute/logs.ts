/**
 * Task logs: the agent keeps each container's output (capped); the controller finds the task's host
 * and relays the agent's NDJSON stream (`{time, stream, text}` per line) to the caller.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { TaskLogsRequest } from '../../model/api/tasks.js';
import { wharfError } from '../../model/errors.js';
import type { Store } from '../../store/store.js';
import { agentLogsToken } from './container-instances.js';
import { taskIdFrom } from './tasks.js';

/** How long the controller waits for an agent to start answering a log request. */
export const AGENT_LOGS_TIMEOUT_MS = 10_000;

/** Opens the log stream of a task's container (its first container unless named). */
export async function taskLogs(store: Store, joinToken: string, taskRef: string, request: TaskLogsRequest, signal: AbortSignal): Promise<Readable> {
  const id = taskIdFrom(taskRef);
  const task = await store.tasks.get(id);
  if (!task || task.cluster !== request.cluster) throw wharfError('WHARF_E_TASK_NOT_FOUND', { task: id, cluster: request.cluster });
  const instance = await store.containerInstances.get(task.containerInstanceId);
  if (!instance) throw wharfError('WHARF_E_CONTAINER_INSTANCE_NOT_FOUND', { containerInstance: task.containerInstanceId, cluster: task.cluster });
  const query = new URLSearchParams();
  if (request.container) query.set('container', request.container);
  if (request.since !== undefined) query.set('since', String(request.since));
  if (request.tail !== undefined) query.set('tail', String(request.tail));
  if (request.follow === '1' || request.follow === 'true') query.set('follow', '1');
  const connect = AbortSignal.timeout(AGENT_LOGS_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(`${instance.agentUrl}/tasks/${task.id}/logs?${query}`, {
      // Derived from the join token, which the database does not hold (see agentLogsToken).
      headers: { authorization: `Bearer ${agentLogsToken(joinToken, instance)}` },
      signal: AbortSignal.any([signal, connect]),
    });
  } catch (error) {
    throw wharfError('WHARF_E_AGENT_UNREACHABLE', { containerInstance: instance.id, agentUrl: instance.agentUrl, reason: (error as Error).message }, { cause: error });
  }
  if (response.status === 404) {
    throw wharfError('WHARF_E_TASK_LOGS_NOT_FOUND', { task: task.id, container: request.container ?? '(the first)' });
  }
  if (!response.ok || !response.body) {
    throw wharfError('WHARF_E_AGENT_UNREACHABLE', { containerInstance: instance.id, agentUrl: instance.agentUrl, reason: `HTTP ${response.status}` });
  }
  return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
}
