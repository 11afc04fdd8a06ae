/**
 * How many refused agent calls become events. Each refusal (a wrong join token, a missing or wrong
 * agent credential) is worth an event, but a client that repeats one a thousand times a second
 * must not grow the events table without bound: each controller records at most
 * REFUSAL_EVENTS_PER_MINUTE of them a minute, and the next one it records says how many it left out.
 */
import type { Store } from '../../store/store.js';

/** Refused agent calls recorded as events per minute, per controller. */
export const REFUSAL_EVENTS_PER_MINUTE = 30;
const WINDOW_MS = 60_000;

/** A fixed-window budget: `take(now)` says whether to record an event and how many were left out before it. */
export class EventBudget {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;
  private dropped = 0;

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {}

  take(now: number): { readonly record: boolean; readonly dropped: number } {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used >= this.perWindow) {
      this.dropped += 1;
      return { record: false, dropped: 0 };
    }
    this.used += 1;
    const dropped = this.dropped;
    this.dropped = 0;
    return { record: true, dropped };
  }
}

/** One budget per controller (per store it serves). */
const budgets = new WeakMap<Store, EventBudget>();

/**
 * Records a refused agent call as a WARN event on `resourceId`, within the controller's budget; a
 * refusal over the budget is only counted, and the next recorded one says how many were.
 */
export async function recordRefusal(store: Store, resourceId: string, message: string, meta: { readonly requestId: string; readonly now: number }): Promise<void> {
  let budget = budgets.get(store);
  if (!budget) budgets.set(store, (budget = new EventBudget(REFUSAL_EVENTS_PER_MINUTE, WINDOW_MS)));
  const { record, dropped } = budget.take(meta.now);
  if (!record) return;
  const more = dropped > 0 ? ` (${dropped} more refused agent call${dropped === 1 ? '' : 's'} before this one were not recorded)` : '';
  await store.events.append({ resourceType: 'agent', resourceId, severity: 'WARN', message: `${message}${more}`, requestId: meta.requestId, time: meta.now });
}
