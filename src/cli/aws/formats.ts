/**
 * The AWS CLI's output formats for an answer (after `--query`): `json` (4-space indent, as the AWS
 * CLI prints it; nothing for an empty answer), `text` (awscli/text.py: tab-separated scalars, one
 * line per list element, a nested list or structure on lines of its own prefixed with its key in
 * capitals, keys sorted), `table` (awscli's boxed sections, simplified: see `formatTable`) and
 * `yaml` (the `yaml` package, loaded only for it).
 */

export type OutputFormat = 'json' | 'text' | 'table' | 'yaml';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'text', 'table', 'yaml'];

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isScalar = (value: unknown): boolean => value === null || typeof value !== 'object';

/** A scalar as Python's str() prints it, which the AWS CLI's text and table output use. */
export function scalarText(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}

/** The AWS CLI's `--output json`. */
export function formatJson(data: unknown): string {
  if (isObject(data) && Object.keys(data).length === 0) return '';
  return JSON.stringify(data, null, 4) + '\n';
}

/** The AWS CLI's `--output text`. */
export function formatText(data: unknown): string {
  const lines: string[] = [];
  textOf(data, lines);
  return lines.map((line) => line + '\n').join('');
}

function textOf(item: unknown, lines: string[], identifier?: string, scalarKeys?: readonly string[]): void {
  if (isObject(item)) textOfObject(item, lines, identifier, scalarKeys);
  else if (Array.isArray(item)) textOfList(item, lines, identifier);
  else lines.push(scalarText(item));
}

function textOfList(items: readonly unknown[], lines: string[], identifier?: string): void {
  if (items.length === 0) return;
  if (items.some(isObject)) {
    // One line per element, the same columns for all: every scalar key any of them has.
    const keys = [...new Set(items.filter(isObject).flatMap((o) => Object.keys(o).filter((k) => isScalar(o[k]))))].sort();
    for (const element of items) textOf(element, lines, identifier, keys);
  } else if (items.some(Array.isArray)) {
    const scalars = items.filter(isScalar);
    if (scalars.length > 0) scalarList(scalars, lines, identifier);
    for (const nested of items.filter((i) => !isScalar(i))) textOf(nested, lines, identifier);
  } else scalarList(items, lines, identifier);
}

function scalarList(items: readonly unknown[], lines: string[], identifier?: string): void {
  if (identifier !== undefined) for (const item of items) lines.push(`${identifier.toUpperCase()}\t${scalarText(item)}`);
  else lines.push(items.map(scalarText).join('\t'));
}

function textOfObject(item: Record<string, unknown>, lines: string[], identifier?: string, scalarKeys?: readonly string[]): void {
  const scalars: string[] = [];
  const nested: [string, unknown][] = [];
  if (scalarKeys === undefined) {
    for (const key of Object.keys(item).sort()) {
      if (isScalar(item[key])) scalars.push(scalarText(item[key]));
      else nested.push([key, item[key]]);
    }
  } else {
    for (const key of scalarKeys) scalars.push(key in item ? scalarText(item[key]) : '');
    for (const key of Object.keys(item).filter((k) => !scalarKeys.includes(k)).sort()) nested.push([key, item[key]]);
  }
  if (scalars.length > 0) lines.push((identifier !== undefined ? [identifier.toUpperCase(), ...scalars] : scalars).join('\t'));
  for (const [key, value] of nested) textOf(value, lines, key);
}

/** A section of the table: a title, then rows (a header row is marked). */
interface Section {
  readonly title: string | undefined;
  readonly indent: number;
  readonly rows: { cells: string[]; header: boolean }[];
}

/**
 * The AWS CLI's `--output table`, built as awscli/formatter.py builds it: a section per structure
 * and list, a structure's scalars as a header row and a value row (one scalar: a key | value
 * row), a list of structures as columns, nested values as indented sections below. Simplified:
 * each section is as wide as its own content (the AWS CLI widens all sections to the widest),
 * without colour, and a long value is not wrapped.
 */
export function formatTable(title: string, data: unknown): string {
  const sections: Section[] = [];
  buildTable(sections, title, data, 0);
  return sections.map(renderSection).join('');
}

function buildTable(sections: Section[], title: string | undefined, current: unknown, indent: number): void {
  if (current === null || current === undefined || current === '' || (Array.isArray(current) && current.length === 0) || (isObject(current) && Object.keys(current).length === 0)) return;
  let section: Section = { title, indent, rows: [] };
  sections.push(section);
  if (Array.isArray(current)) {
    if (isObject(current[0])) {
      const objects = current.filter(isObject);
      const headers = [...new Set(objects.flatMap((o) => Object.keys(o).filter((k) => isScalar(o[k]))))].sort();
      const more = [...new Set(objects.flatMap((o) => Object.keys(o).filter((k) => !isScalar(o[k]))))].sort();
      section.rows.push({ cells: headers, header: true });
      objects.forEach((element, i) => {
        if (i > 0 && more.length > 0) {
          section = { title, indent, rows: [{ cells: headers, header: true }] };
          sections.push(section);
        }
        section.rows.push({ cells: headers.map((h) => (h in element ? scalarText(element[h]) : '')), header: false });
        for (const key of more) if (key in element) buildTable(sections, key, element[key], indent + 1);
      });
    } else {
      for (const item of current) {
        if (isScalar(item)) section.rows.push({ cells: [scalarText(item)], header: false });
        else if (Array.isArray(item) && item.every(isScalar)) section.rows.push({ cells: item.map(scalarText), header: false });
        else buildTable(sections, undefined, item, indent);
      }
    }
  } else if (isObject(current)) {
    const headers = Object.keys(current).filter((k) => isScalar(current[k])).sort();
    const more = Object.keys(current).filter((k) => !isScalar(current[k])).sort();
    if (headers.length === 1) section.rows.push({ cells: [headers[0]!, scalarText(current[headers[0]!])], header: false });
    else if (headers.length > 1) {
      section.rows.push({ cells: headers, header: true });
      section.rows.push({ cells: headers.map((h) => scalarText(current[h])), header: false });
    }
    for (const key of more) buildTable(sections, key, current[key], indent + 1);
  } else section.rows.push({ cells: [scalarText(current)], header: false });
}

function renderSection(section: Section): string {
  const pad = ' '.repeat(section.indent * 2);
  const columns = Math.max(1, ...section.rows.map((r) => r.cells.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...section.rows.map((r) => r.cells[i]?.length ?? 0)));
  let inner = widths.reduce((sum, w) => sum + w + 3, -1);
  inner = Math.max(inner, (section.title?.length ?? 0) + 2);
  // Widen the last column so the rows fill the box under a long title.
  const slack = inner - widths.reduce((sum, w) => sum + w + 3, -1);
  if (slack > 0) widths[columns - 1]! += slack;
  const rule = `${pad}+${'-'.repeat(inner)}+\n`;
  const out: string[] = [rule];
  if (section.title !== undefined) {
    const left = Math.floor((inner - section.title.length) / 2);
    out.push(`${pad}|${' '.repeat(left)}${section.title}${' '.repeat(inner - left - section.title.length)}|\n`, rule);
  }
  for (const row of section.rows) {
    const cells = widths.map((w, i) => {
      const cell = row.cells[i] ?? '';
      if (!row.header) return ` ${cell.padEnd(w)} `;
      const left = Math.floor((w - cell.length) / 2);
      return ` ${' '.repeat(left)}${cell}${' '.repeat(w - left - cell.length)} `;
    });
    out.push(`${pad}|${cells.join('|')}|\n`);
    if (row.header) out.push(`${pad}+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+\n`);
  }
  out.push(rule);
  return out.join('');
}

/** The AWS CLI's `--output yaml`. */
export async function formatYaml(data: unknown): Promise<string> {
  if (isObject(data) && Object.keys(data).length === 0) return '';
  const { stringify } = await import('yaml');
  return stringify(data);
}

/** `data` in `format`; `title` names the table (the operation). */
export async function formatOutput(format: OutputFormat, title: string, data: unknown): Promise<string> {
  switch (format) {
    case 'json':
      return formatJson(data);
    case 'text':
      return formatText(data);
    case 'table':
      return formatTable(title, data);
    case 'yaml':
      return formatYaml(data);
  }
}
