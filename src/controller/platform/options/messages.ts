/**
 * What the option-settings code reports: messages shaped like Elastic Beanstalk's
 * ValidateConfigurationSettings, problems found in a config file, and the one error a caller
 * throws when there are any (WHARF_E_INVALID_CONFIGURATION).
 */
import type { FieldError, WharfError } from '../../../model/errors.js';
import { wharfError } from '../../../model/errors.js';

/** One finding about a setting (EB's `ValidationMessage`). */
export interface ValidationMessage {
  readonly Severity: 'error' | 'warning';
  readonly Message: string;
  readonly Namespace: string;
  readonly OptionName: string;
}

/** One problem with a config file (`.ebextensions/*.config`, `env.yaml`), named by its path in the bundle. */
export interface ConfigFileError {
  readonly file: string;
  readonly message: string;
}

function fieldErrorOf(message: ValidationMessage | ConfigFileError): FieldError {
  if ('Severity' in message) return { field: `${message.Namespace}:${message.OptionName}`, message: message.Message };
  return { field: message.file, message: message.message };
}

/**
 * The error to throw when settings or config files are refused: WHARF_E_INVALID_CONFIGURATION
 * with every error (warnings left out, unless there are only warnings) in its `errors` list.
 */
export function configurationError(messages: readonly (ValidationMessage | ConfigFileError)[], context: Readonly<Record<string, unknown>> = {}): WharfError {
  const errorsOnly = messages.filter((message) => !('Severity' in message) || message.Severity === 'error');
  const errors = (errorsOnly.length > 0 ? errorsOnly : messages).map(fieldErrorOf);
  const first = errors[0];
  const summary = `${errors.length} problem${errors.length === 1 ? '' : 's'}` + (first ? ` (first: ${first.field}: ${first.message})` : '');
  return wharfError('WHARF_E_INVALID_CONFIGURATION', { summary }, { errors, context });
}
