/**
 * The logger the store writes its state changes to: the structured subset of pino's API it uses,
 * so a pino `Logger` (or a child of one) can be passed as it is.
 */
export interface StoreLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** A logger that drops everything; the default when the caller passes none. */
export const SILENT_LOG: StoreLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
