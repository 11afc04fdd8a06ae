/**
 * `wharf <group> wait <waiter>`: runs the AWS CLI's waiters (`waiters.ts`): call the
 * operation every `delay` seconds, at most `maxAttempts` times; the first acceptor that matches
 * decides (success: done; failure: a terminal state, an error; retry: go on). `path` compares one
 * JMESPath result, `pathAll` every element of a list result (none: no match), `pathAny` any
 * element, `error` the AWS error code of a failed call. WHARF_WAIT_DELAY_SECONDS shortens the
 * delay (tests); the AWS CLI has no such setting.
 */
import { WharfError, wharfError } from '../../model/errors.js';
import type { Waiter, WaiterAcceptor } from './waiters.js';

/** PascalCase name of a waiter, as the AWS CLI's messages give it (`services-stable` → `ServicesStable`). */
const pascal = (name: string): string => name.replace(/(^|-)([a-z])/g, (_, __: string, c: string) => c.toUpperCase());

async function matches(acceptor: WaiterAcceptor, result: unknown, error: unknown, search: (data: unknown, expression: string) => Promise<unknown>): Promise<boolean> {
  const { matcher, expected: wanted } = acceptor;
  if (matcher === 'error') {
    if (error === undefined) return false;
    const awsCode = error instanceof WharfError ? error.context.awsCode : undefined;
    return awsCode === wanted;
  }
  if (error !== undefined) return false;
  // A call that answered is HTTP 200 here (any other status is an error).
  if (matcher === 'status') return wanted === 200;
  const value = await search(result, acceptor.argument ?? '@');
  switch (matcher) {
    case 'path':
      return value === wanted;
    case 'pathAll':
      return Array.isArray(value) && value.length > 0 && value.every((v) => v === wanted);
    case 'pathAny':
      return Array.isArray(value) && value.some((v) => v === wanted);
  }
}

/** The AWS CLI's words for the acceptor that ended the wait in failure. */
function failureReason(acceptor: WaiterAcceptor): string {
  const { matcher, argument, expected: wanted } = acceptor;
  if (matcher === 'error') return `Waiter encountered a terminal failure state: matched the error ${String(wanted)}`;
  const atLeastOnce = matcher === 'pathAny' ? ' at least once' : '';
  return `Waiter encountered a terminal failure state: For expression "${argument ?? ''}" we matched expected path: "${String(wanted)}"${atLeastOnce}`;
}

/** Waits as the waiter says; resolves on success, throws WHARF_E_WAITER_FAILED otherwise (or the call's own error when no acceptor takes it). */
export async function runWaiter(name: string, waiter: Waiter, call: () => Promise<unknown>, search: (data: unknown, expression: string) => Promise<unknown>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const delaySeconds = env.WHARF_WAIT_DELAY_SECONDS !== undefined ? Number(env.WHARF_WAIT_DELAY_SECONDS) : waiter.delay;
  for (let attempt = 1; ; attempt += 1) {
    let result: unknown;
    let error: unknown;
    try {
      result = await call();
    } catch (thrown) {
      error = thrown;
    }
    let decided: WaiterAcceptor | undefined;
    for (const acceptor of waiter.acceptors) {
      if (await matches(acceptor, result, error, search)) {
        decided = acceptor;
        break;
      }
    }
    if (decided?.state === 'success') return;
    if (decided?.state === 'failure') {
      throw wharfError('WHARF_E_WAITER_FAILED', { waiter: pascal(name), reason: failureReason(decided) });
    }
    if (decided === undefined && error !== undefined) throw error;
    if (attempt >= waiter.maxAttempts) throw wharfError('WHARF_E_WAITER_FAILED', { waiter: pascal(name), reason: `Max attempts exceeded (${waiter.maxAttempts} calls of ${waiter.operation}, ${waiter.delay} s apart)` });
    await new Promise((resolve) => setTimeout(resolve, delaySeconds * 1000));
  }
}
