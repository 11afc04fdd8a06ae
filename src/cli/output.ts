/**
 * What the CLI prints. Results go to stdout: JSON with `--json`, readable text otherwise. Errors go
 * to stderr in one fixed shape: a user error says what and how to fix it (no stack, exit 1); a
 * system error says it is one and keeps the stack (exit 2).
 */
import { WharfError, isUserError } from '../model/errors.js';

export const EXIT_USER_ERROR = 1;
export const EXIT_SYSTEM_ERROR = 2;

/** Lines of aligned columns; the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/** Prints a command's result. */
export function printResult(result: unknown, json: boolean, render: (result: never) => string): void {
  process.stdout.write(json ? JSON.stringify(result, null, 2) + '\n' : render(result as never) + '\n');
}

/** Prints an error and returns the exit code for it. */
export function printError(error: unknown, json: boolean): number {
  const user = isUserError(error);
  if (json) {
    const e = error instanceof WharfError ? error : undefined;
    const body = {
      error: {
        code: e?.code ?? 'WHARF_E_INTERNAL',
        kind: user ? 'user' : 'system',
        message: error instanceof Error ? error.message : String(error),
        ...(e && e.errors.length > 0 ? { errors: e.errors } : {}),
        ...(e?.context.requestId ? { requestId: e.context.requestId } : {}),
        ...(!user && error instanceof Error && !(error instanceof WharfError) ? { stack: error.stack } : {}),
      },
    };
    process.stderr.write(JSON.stringify(body, null, 2) + '\n');
    return user ? EXIT_USER_ERROR : EXIT_SYSTEM_ERROR;
  }
  if (user) {
    const lines = [`wharf: ${error.message}`];
    for (const e of error.errors) lines.push(`  - ${e.field || '(body)'}: ${e.message}`);
    process.stderr.write(lines.join('\n') + '\n');
    return EXIT_USER_ERROR;
  }
  if (error instanceof WharfError) {
    // A system error reported by the controller: its stack is in the controller's log.
    const requestId = error.context.requestId ? ` (request id ${String(error.context.requestId)})` : '';
    process.stderr.write(`wharf: system error [${error.code}]${requestId}: ${error.message}\n`);
    return EXIT_SYSTEM_ERROR;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`wharf: system error (a fault in Wharf, not in what you typed; please report it with this stack):\n${stack}\n`);
  return EXIT_SYSTEM_ERROR;
}
