/**
 * What every controller area passes along with a change: who asked and when. Neutral ground, so the
 * areas (compute, services, load balancing, auto scaling, platform) share these types without
 * importing one another. Imports nothing.
 */

/** Who asked, for events and logs: the API request's id and the time the change is made. */
export interface RequestMeta {
  readonly requestId: string;
  readonly now: number;
}

/**
 * Like RequestMeta for changes the controller makes on its own (a runner's tick, the sweep of silent
 * hosts), which have no request: `requestId` is null then.
 */
export interface ChangeMeta {
  readonly requestId: string | null;
  readonly now: number;
}
