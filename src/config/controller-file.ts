/**
 * `controller.json`: the file a running controller writes into its data folder so the CLI run in
 * that folder finds it without flags. The controller writes it; the CLI reads it.
 */

/** The file's name inside the data folder. */
export const CONTROLLER_FILE = 'controller.json';

/** What `controller.json` holds: the API's URL and the controller's process id. */
export interface ControllerFile {
  readonly url: string;
  readonly pid: number;
}
