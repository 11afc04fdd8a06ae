import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AGENT_TASK_STATUSES, agentTaskTransition } from './agent-protocol.js';
import type { AgentTaskStatus } from './agent-protocol.js';

test("an agent's task moves forward only: PENDING → RUNNING → STOPPING → STOPPED, stopping before it runs, STOPPED for good", () => {
  const legal: [AgentTaskStatus, AgentTaskStatus][] = [
    ['PENDING', 'RUNNING'],
    ['PENDING', 'STOPPING'],
    ['PENDING', 'STOPPED'],
    ['RUNNING', 'STOPPING'],
    ['STOPPING', 'STOPPED'],
  ];
  for (const from of AGENT_TASK_STATUSES) {
    for (const to of AGENT_TASK_STATUSES) {
      const allowed = from === to || legal.some(([f, t]) => f === from && t === to);
      if (allowed) assert.equal(agentTaskTransition(from, to), to, `${from} → ${to}`);
      else assert.throws(() => agentTaskTransition(from, to), new RegExp(`cannot move from ${from} to ${to}`), `${from} → ${to} is refused`);
    }
  }
});
