/**
 * The defaults the `wharf` CLI needs before it sends a request (where `wharf up` keeps its data,
 * the API's port), in a file without imports: the CLI's start-up reads these without loading the
 * controller settings' zod schema (`settings.ts` re-exports them).
 */

/** Where `wharf up` and `wharf server` keep their state unless told otherwise. */
export const DEFAULT_DATA_DIR = '.wharf';
/** The API's port when none is given. The CLI looks here first. */
export const DEFAULT_API_PORT = 7070;
