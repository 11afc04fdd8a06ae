/**
 * Events: the Elastic Beanstalk-style stream of what happened to each resource. Every
 * user-visible change writes one; the API and the CLI query them by resource, severity and time.
 */

/** Elastic Beanstalk's severities, lowest first. */
export const EVENT_SEVERITIES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type EventSeverity = (typeof EVENT_SEVERITIES)[number];

/** An event as stored. `id` increases with every append, so it orders events and pages through them. */
export interface WharfEvent {
  readonly id: number;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** What kind of resource the event is about: `cluster`, `task`, `service`, `environment`, `controller`, `agent`, ... */
  readonly resourceType: string;
  /** The resource's name or id within its type. */
  readonly resourceId: string;
  readonly severity: EventSeverity;
  readonly message: string;
  /** The API request that caused it, when one did. */
  readonly requestId: string | null;
  /** Elastic Beanstalk's event fields, set on platform events (absent otherwise). */
  readonly applicationName?: string;
  readonly environmentName?: string;
  readonly versionLabel?: string;
}

export type NewEvent = Omit<WharfEvent, 'id' | 'time'> & { readonly time?: number };

/** A query over events. Results come newest first. */
export interface EventFilter {
  readonly resourceType?: string;
  readonly resourceId?: string;
  /** Events at this severity or above. */
  readonly minSeverity?: EventSeverity;
  /** Inclusive lower bound on `time`, ms since the epoch. */
  readonly startTime?: number;
  /** Exclusive upper bound on `time`, ms since the epoch. */
  readonly endTime?: number;
  readonly requestId?: string;
  readonly applicationName?: string;
  readonly environmentName?: string;
  readonly versionLabel?: string;
  /** Only events with an id below this one (the page token of the previous page). */
  readonly beforeId?: number;
  readonly limit: number;
}

/** True when `severity` is at `floor` or above it. */
export function severityAtLeast(severity: EventSeverity, floor: EventSeverity): boolean {
  return EVENT_SEVERITIES.indexOf(severity) >= EVENT_SEVERITIES.indexOf(floor);
}
