/**
 * Reading the YAML (or JSON) of Elastic Beanstalk config files (`.ebextensions/*.config`,
 * `env.yaml`) into plain values, the way Elastic Beanstalk reads them, and the `option_settings`
 * shorthand both files share.
 *
 * Elastic Beanstalk reads YAML 1.1: `yes`, `no`, `on`, `off` (any case) are booleans, so
 * `value: yes` is the setting "true"; numbers keep YAML's reading (`1.10` is "1.1", `010` is 8).
 * Quote a value to keep it as written. Unlike some YAML 1.1 readers, a lone `y` or `n` stays text
 * (as in the Python and Java readers Elastic Beanstalk's tools use). Keys are always taken as
 * written (`on:` is the key "on"). Timestamps and other typed scalars keep their text.
 *
 * Where YAML is lenient or Elastic Beanstalk is silent, Wharf refuses: a key twice in one map (EB
 * drops one of the sections), tabs for indentation, a second document, unresolved tags such as
 * CloudFormation's short `!Ref`. Every problem names its line and column.
 *
 * Bounds keep a hostile file cheap to refuse: at most `MAX_CONFIG_FILE_BYTES` (256 KiB), values
 * nested at most `MAX_CONFIG_DEPTH` (32) levels, at most `MAX_ALIASES` (100) aliases resolved.
 */
import type { Document, Node, Pair, Scalar } from 'yaml';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { OptionSetting } from '../../../model/platform.js';

/** A path into a parsed file: map keys and list indexes. */
export type ValuePath = readonly (string | number)[];

/** A config file read into plain values, with where each value stood. */
export interface LoadedConfig {
  /** Plain objects, arrays, strings, numbers, booleans and null; undefined when `errors` is not empty or the file is empty. */
  readonly value: unknown;
  /** Each problem, starting with `line L, column C: `. */
  readonly errors: readonly string[];
  /** `line L` for a path (the nearest enclosing value that has a position), or '' when unknown. */
  at(path: ValuePath): string;
}

/** Aliases resolved per file at most (YAML's "billion laughs" guard). */
export const MAX_ALIASES = 100;
/** The largest config file read, in bytes (UTF-8): 256 KiB, far more than any real one needs. */
export const MAX_CONFIG_FILE_BYTES = 256 * 1024;
/** The deepest nesting of maps and lists read (the top-level map is level 1). */
export const MAX_CONFIG_DEPTH = 32;

/** The refusal of a file over `MAX_CONFIG_FILE_BYTES`, for readers that check its size before reading it. */
export function tooLargeMessage(bytes: number): string {
  return `the file has ${bytes.toLocaleString('en')} bytes; a config file has at most ${MAX_CONFIG_FILE_BYTES.toLocaleString('en')} (256 KiB): make it smaller, or split it into several files`;
}

const tooDeepMessage = (where: string) => `values are nested more than ${MAX_CONFIG_DEPTH} levels deep${where}; a config file needs far fewer: flatten it`;

const pathKey = (path: ValuePath) => JSON.stringify(path);

/** A dotted name for a path, for messages: `commands.01_migrate.command`, `option_settings[2]`. */
export function formatPath(path: ValuePath): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

const FRIENDLY: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'a tab is used for indentation; indent with spaces only',
  MULTIPLE_DOCS: 'the file has more than one YAML document (a second `---`); a config file is one document',
  TAG_RESOLVE_FAILED: 'unknown YAML tag; Elastic Beanstalk config files use no tags (write CloudFormation functions in their long form, e.g. { "Ref": "X" })',
  // The YAML reader ran out of stack: only nesting thousands of levels deep does that.
  RESOURCE_EXHAUSTION: tooDeepMessage(''),
};

/** Reads YAML 1.1 (JSON is YAML too) into plain values; never throws for bad input. */
export function loadConfig(text: string): LoadedConfig {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_FILE_BYTES) return { value: undefined, errors: [tooLargeMessage(bytes)], at: () => '' };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, prettyErrors: false, lineCounter });
  const errors: string[] = [];
  const positions = new Map<string, number>();
  const where = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  for (const problem of [...doc.errors, ...doc.warnings]) {
    errors.push(`${where(problem.pos[0])}: ${FRIENDLY[problem.code] ?? problem.message}`);
  }
  const at = (path: ValuePath): string => {
    for (let length = path.length; length >= 0; length--) {
      const offset = positions.get(pathKey(path.slice(0, length)));
      if (offset !== undefined) return `line ${lineCounter.linePos(offset).line}`;
    }
    return '';
  };
  if (errors.length > 0 || doc.contents === null) return { value: undefined, errors, at };

  let aliases = 0;
  const active = new Set<Node>();
  const convert = (node: unknown, path: ValuePath): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      if (++aliases > MAX_ALIASES) {
        errors.push(`${where(node.range?.[0] ?? 0)}: more than ${MAX_ALIASES} aliases; write the values out`);
        return null;
      }
      const target = node.resolve(doc as Document);
      if (!target) {
        errors.push(`${where(node.range?.[0] ?? 0)}: the alias *${node.source} names no anchor before it`);
        return null;
      }
      return convert(target, path);
    }
    if (active.has(node as Node)) {
      errors.push(`${where((node as Node).range?.[0] ?? 0)}: an alias refers to a value that contains it`);
      return null;
    }
    if ((isSeq(node) || isMap(node)) && path.length >= MAX_CONFIG_DEPTH) {
      errors.push(`${where(node.range?.[0] ?? 0)}: ${tooDeepMessage(` (in ${formatPath(path)})`)}`);
      return null;
    }
    active.add(node as Node);
    try {
      if (isScalar(node)) return scalarValue(node);
      if (isSeq(node)) {
        return node.items.map((item, index) => {
          const offset = (item as Node | null)?.range?.[0];
          if (offset !== undefined) positions.set(pathKey([...path, index]), offset);
          return convert(item, [...path, index]);
        });
      }
      if (isMap(node)) return convertMap(node.items as Pair[], path);
      errors.push(`${where((node as Node).range?.[0] ?? 0)}: unexpected YAML node`);
      return null;
    } finally {
      active.delete(node as Node);
    }
  };

  const convertMap = (pairs: readonly Pair[], path: ValuePath): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    const seenAt = new Map<string, number>();
    const merges: unknown[] = [];
    for (const pair of pairs) {
      const key = pair.key as Node | null;
      const offset = key?.range?.[0] ?? (pair.value as Node | null)?.range?.[0] ?? 0;
      if (isScalar(key) && typeof key.value === 'symbol') {
        merges.push(pair.value);
        continue;
      }
      if (!isScalar(key) || key.value === null) {
        errors.push(`${where(offset)}: a key must be plain text${path.length ? ` (in ${formatPath(path)})` : ''}`);
        continue;
      }
      const name = typeof key.value === 'string' ? key.value : (key.source ?? String(key.value));
      const earlier = seenAt.get(name);
      if (earlier !== undefined) {
        const scope = path.length === 0 ? 'the top-level key' : `the key`;
        errors.push(`${where(offset)}: ${scope} "${name}" appears twice${path.length ? ` in ${formatPath(path)}` : ''} (first on line ${lineCounter.linePos(earlier).line}); keep one`);
        continue;
      }
      seenAt.set(name, offset);
      positions.set(pathKey([...path, name]), offset);
      Object.defineProperty(result, name, { value: convert(pair.value, [...path, name]), enumerable: true, writable: true, configurable: true });
    }
    // YAML merge keys (`<<: *base`): explicit keys win, then earlier merged maps over later ones.
    for (const merge of merges) {
      const sources = isSeq(merge) ? merge.items : [merge];
      for (const source of sources) {
        const value = convert(source, path);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          errors.push(`${where((source as Node | null)?.range?.[0] ?? 0)}: a merge key (<<) takes a map or a list of maps`);
          continue;
        }
        for (const [name, inner] of Object.entries(value)) {
          if (!Object.prototype.hasOwnProperty.call(result, name)) Object.defineProperty(result, name, { value: inner, enumerable: true, writable: true, configurable: true });
        }
      }
    }
    return result;
  };

  positions.set(pathKey([]), doc.contents.range?.[0] ?? 0);
  const value = convert(doc.contents, []);
  return errors.length > 0 ? { value: undefined, errors, at } : { value, errors, at };
}

function scalarValue(node: Scalar): unknown {
  const value: unknown = node.value;
  if (typeof value === 'boolean' && node.type === 'PLAIN' && /^[yYnN]$/.test(node.source ?? '')) return node.source;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return node.source ?? String(value);
}

/** Whether a value is a plain map (not a list, not null). */
export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A setting's value as Elastic Beanstalk stores it: text. Numbers and booleans become their text
 * (`true`, `2`), null (`value:` left empty) becomes ''; lists and maps are refused (undefined).
 */
export function settingText(value: unknown): string | undefined {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A setting read from a file, with the path it stood at. */
export interface LocatedSetting {
  readonly setting: OptionSetting;
  readonly path: ValuePath;
}

/**
 * Settings in the shorthand form, `namespace: { option: value }` (`resource.namespace` names a
 * resource, as Elastic Beanstalk's saved configurations write it). `base` is the path of the map.
 */
export function shorthandSettings(map: Record<string, unknown>, base: ValuePath): { settings: LocatedSetting[]; problems: { path: ValuePath; message: string }[] } {
  const settings: LocatedSetting[] = [];
  const problems: { path: ValuePath; message: string }[] = [];
  for (const [key, options] of Object.entries(map)) {
    const resource = /^([A-Za-z0-9]+)\.(aws:.+)$/.exec(key);
    const namespace = resource ? (resource[2] ?? key) : key;
    if (options === null) continue;
    if (!isPlainMap(options)) {
      problems.push({ path: [...base, key], message: `${key} must be a map of option names to values, e.g. "${key}: { OptionName: value }"` });
      continue;
    }
    for (const [name, raw] of Object.entries(options)) {
      const value = settingText(raw);
      if (value === undefined) {
        problems.push({ path: [...base, key, name], message: `the value of ${name} must be text, a number or true/false, not a ${Array.isArray(raw) ? 'list' : 'map'} (give a list as comma-separated text)` });
        continue;
      }
      settings.push({ setting: { Namespace: namespace, OptionName: name, Value: value, ...(resource ? { ResourceName: resource[1] } : {}) }, path: [...base, key, name] });
    }
  }
  return { settings, problems };
}
