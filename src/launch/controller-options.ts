/** The flags shared by the commands that run a controller (`wharf up`, `wharf server`). */
import type { Command } from 'commander';
import type { SettingsInput } from '../config/settings.js';

export interface ControllerFlags {
  dataDir?: string;
  databaseUrl?: string;
  apiHost?: string;
  apiPort?: string;
  apiHostnames?: string;
  logLevel?: string;
}

export function addControllerOptions(command: Command): Command {
  return command
    .option('--data-dir <path>', 'where state lives (default ./.wharf; env WHARF_DATA_DIR)')
    .option('--database-url <url>', 'use PostgreSQL instead of SQLite: postgres://user:pass@host/db (env WHARF_DATABASE_URL)')
    .option('--api-host <host>', 'address the API listens on (default 127.0.0.1; env WHARF_API_HOST)')
    .option('--api-port <port>', 'API port, 0 for any free one (default 7070; env WHARF_API_PORT)')
    .option('--api-hostnames <names>', 'host names the API answers to besides IP addresses and localhost, comma-separated (env WHARF_API_HOSTNAMES)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (default info; env WHARF_LOG_LEVEL)');
}

/** The flags as settings input: commander gives strings; the settings schema coerces them. */
export function settingsFromFlags(flags: ControllerFlags): SettingsInput {
  return {
    dataDir: flags.dataDir,
    databaseUrl: flags.databaseUrl,
    apiHost: flags.apiHost,
    apiPort: flags.apiPort,
    apiHostnames: flags.apiHostnames,
    logLevel: flags.logLevel as SettingsInput['logLevel'],
  };
}
