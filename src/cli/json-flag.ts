/** A JSON-valued flag as the AWS CLI takes it: inline JSON or `file://path`. */
import { readFile } from 'node:fs/promises';
import { wharfError } from '../model/errors.js';

export async function parseJsonFlag(flag: string, value: string): Promise<unknown> {
  let text = value;
  if (value.startsWith('file://')) {
    const file = value.slice('file://'.length);
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw wharfError('WHARF_E_USAGE', { reason: `Cannot read ${flag} file ${file}: ${(error as Error).message}` });
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw wharfError('WHARF_E_USAGE', { reason: `${flag} must be JSON, inline or as file://path (${(error as Error).message})` });
  }
}
