/** The file a running controller writes into its data folder so the CLI finds it without flags. */
export const CONTROLLER_FILE = 'controller.json';
