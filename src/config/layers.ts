/**
 * The one layering of settings (STYLE.md 14): defaults (in each schema) < `WHARF_*` environment <
 * flags. Returns the merged, not yet parsed, input for a settings schema; empty variables and
 * flags left out do not count.
 */
export function layeredInput(envNames: Readonly<Record<string, string>>, flags: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) merged[key] = value;
  return merged;
}
