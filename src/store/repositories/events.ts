/** The events repository: append-only rows in `events`, queried newest first. */
import { EVENT_SEVERITIES, type EventFilter, type EventSeverity, type NewEvent, type WharfEvent } from '../../model/events.js';
import type { SqlExecutor, SqlValue } from '../sql.js';
import type { EventRepository } from '../store.js';

interface EventRow {
  id: number;
  time: number;
  resource_type: string;
  resource_id: string;
  severity: string;
  message: string;
  request_id: string | null;
  application_name: string | null;
  environment_name: string | null;
  version_label: string | null;
}

const COLUMNS = 'id, time, resource_type, resource_id, severity, message, request_id, application_name, environment_name, version_label';

/** The events repository over one executor. `now` stamps events that come without a time. */
export function eventRepository(exec: SqlExecutor, now: () => number): EventRepository {
  return {
    async append(event: NewEvent): Promise<WharfEvent> {
      const time = event.time ?? now();
      const rows = await exec.query<{ id: number }>(
        'INSERT INTO events (time, resource_type, resource_id, severity, message, request_id, application_name, environment_name, version_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
        [time, event.resourceType, event.resourceId, event.severity, event.message, event.requestId, event.applicationName ?? null, event.environmentName ?? null, event.versionLabel ?? null],
      );
      const id = rows[0]?.id;
      if (id === undefined) throw new Error('INSERT INTO events returned no id');
      return {
        id: Number(id),
        time,
        resourceType: event.resourceType,
        resourceId: event.resourceId,
        severity: event.severity,
        message: event.message,
        requestId: event.requestId,
        ...platformFields(event.applicationName, event.environmentName, event.versionLabel),
      };
    },

    async query(filter: EventFilter): Promise<WharfEvent[]> {
      if (!Number.isSafeInteger(filter.limit) || filter.limit < 0) throw new RangeError(`events.query: limit must be a whole number >= 0, got ${filter.limit}`);
      if (filter.limit === 0) return [];
      const { where, params } = eventConditions(filter);
      const rows = await exec.query<EventRow>(
        `SELECT ${COLUMNS} FROM events${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        [...params, filter.limit],
      );
      return rows.map(toEvent);
    },

    async pruneBefore(time: number, limit: number): Promise<number> {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`events.pruneBefore: limit must be a whole number >= 0, got ${limit}`);
      const result = await exec.run('DELETE FROM events WHERE id IN (SELECT id FROM events WHERE time < ? ORDER BY time, id LIMIT ?)', [time, limit]);
      return result.changes;
    },
  };
}

/** The WHERE conditions for a filter. The SQL text depends only on which filters are set, so it stays cacheable. */
function eventConditions(filter: EventFilter): { where: string[]; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.resourceType !== undefined) {
    where.push('resource_type = ?');
    params.push(filter.resourceType);
  }
  if (filter.resourceId !== undefined) {
    where.push('resource_id = ?');
    params.push(filter.resourceId);
  }
  if (filter.minSeverity !== undefined) {
    const allowed = EVENT_SEVERITIES.slice(EVENT_SEVERITIES.indexOf(filter.minSeverity));
    // One placeholder per severity at or above the floor; at most six distinct texts.
    where.push(`severity IN (${allowed.map(() => '?').join(', ')})`);
    params.push(...allowed);
  }
  if (filter.startTime !== undefined) {
    where.push('time >= ?');
    params.push(filter.startTime);
  }
  if (filter.endTime !== undefined) {
    where.push('time < ?');
    params.push(filter.endTime);
  }
  if (filter.requestId !== undefined) {
    where.push('request_id = ?');
    params.push(filter.requestId);
  }
  for (const [column, value] of [
    ['application_name', filter.applicationName],
    ['environment_name', filter.environmentName],
    ['version_label', filter.versionLabel],
  ] as const) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  if (filter.beforeId !== undefined) {
    where.push('id < ?');
    params.push(filter.beforeId);
  }
  return { where, params };
}

function toEvent(row: EventRow): WharfEvent {
  return {
    id: Number(row.id),
    time: Number(row.time),
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    severity: row.severity as EventSeverity,
    message: row.message,
    requestId: row.request_id,
    ...platformFields(row.application_name, row.environment_name, row.version_label),
  };
}

/** The Elastic Beanstalk fields that are set, and only those (other events keep their shape). */
function platformFields(applicationName: string | null | undefined, environmentName: string | null | undefined, versionLabel: string | null | undefined): Partial<WharfEvent> {
  return {
    ...(applicationName ? { applicationName } : {}),
    ...(environmentName ? { environmentName } : {}),
    ...(versionLabel ? { versionLabel } : {}),
  };
}
