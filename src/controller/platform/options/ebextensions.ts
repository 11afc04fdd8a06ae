/**
 * `.ebextensions/*.config`: the config files of a source bundle (eb-ecs-spec §3). Files are read in
 * lexicographic order of their names (a later file's setting wins), each as YAML 1.1 or JSON.
 *
 * `option_settings` is read in its three forms (a list of `{namespace, option_name, value,
 * resource_name}`, the same without `namespace` for environment properties, and the shorthand
 * map) and each setting is checked on its own (validate.ts). Every other key Elastic Beanstalk
 * knows is parsed and its shape checked, then refused as not yet supported by Wharf — never
 * dropped in silence. Elastic Beanstalk skips a bad file with a warning event; Wharf reports every
 * problem, and the caller refuses the version when there are any.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { OptionSetting } from '../../../model/platform.js';
import { NS, normalizeSetting, settingKey } from './catalogue.js';
import type { LoadedConfig, LocatedSetting, ValuePath } from './config-file.js';
import { MAX_CONFIG_FILE_BYTES, formatPath, isPlainMap, loadConfig, settingText, shorthandSettings, tooLargeMessage } from './config-file.js';
import type { ConfigFileError } from './messages.js';
import { validateSettingsLayer } from './validate.js';

/** A setting from a config file, with the file it came from (`.ebextensions/01-env.config`). */
export type EbextensionsSetting = OptionSetting & { readonly file: string };

export interface EbextensionsResult {
  /** Every file's option settings, in file order. */
  readonly optionSettings: readonly EbextensionsSetting[];
  /** Every problem found; the version must be refused when there are any. */
  readonly errors: readonly ConfigFileError[];
}

const FOLDER = '.ebextensions';

const scalar = z.union([z.string(), z.number(), z.boolean()], { message: 'must be text, a number or true/false' });
const commandLine = z.union([z.string().min(1), z.array(z.string()).min(1)], {
  message: 'command is a string (run by a shell) or a non-empty list of strings (one program and its arguments)',
});
const environment = z.record(z.string(), scalar, { message: 'env is a map of variable names to values' });
const trueOrFalse = (name: string) => z.boolean({ message: `${name} must be true or false` });
const managers = ['yum', 'rpm', 'rubygems', 'python'] as const;
const id = z.union([z.string().regex(/^\d+$/, 'must be a number'), z.number().int().min(0)], { message: 'must be a number' });
const names = z.array(z.string(), { message: 'must be a list of names' });

const commandSchema = z
  .object({ command: commandLine, cwd: z.string().optional(), env: environment.optional(), test: z.string().optional(), ignoreErrors: trueOrFalse('ignoreErrors').optional() })
  .strict();

/** The shape of each key Wharf does not act on yet (eb-ecs-spec §3.3), checked so a mistake is reported too. */
const SECTION_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  packages: z.partialRecord(
    z.enum(managers),
    z.record(z.string(), z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])), z.null()], { message: "a package's version is text, a list of versions, [] or '' (the latest)" })),
  ),
  groups: z.record(z.string(), z.union([z.null(), z.object({ gid: id.optional() }).strict()])),
  users: z.record(z.string(), z.object({ groups: names.optional(), uid: id.optional(), homeDir: z.string().optional() }).strict()),
  sources: z.record(z.string(), z.string({ message: 'give the URL of an archive (tar, tar.gz, tar.bz2 or zip)' }).min(1)),
  files: z.record(
    z.string(),
    z
      .object({
        mode: z.string({ message: 'mode is six octal digits in quotes, e.g. "000644" (unquoted, YAML reads it as a number)' }).regex(/^[0-7]{6}$/, 'mode is six octal digits, e.g. "000644"').optional(),
        owner: z.string().optional(),
        group: z.string().optional(),
        content: z.string().optional(),
        source: z.string().optional(),
        encoding: z.enum(['plain', 'base64'], { message: 'encoding is plain or base64' }).optional(),
        authentication: z.string().optional(),
      })
      .strict()
      .refine((file) => (file.content === undefined) !== (file.source === undefined), 'give either content or source, not both and not neither'),
  ),
  commands: z.record(z.string(), commandSchema),
  services: z
    .object({
      sysvinit: z.record(
        z.string(),
        z
          .object({
            enabled: trueOrFalse('enabled').optional(),
            ensureRunning: trueOrFalse('ensureRunning').optional(),
            files: names.optional(),
            sources: names.optional(),
            packages: z.partialRecord(z.enum(managers), names).optional(),
            commands: names.optional(),
          })
          .strict(),
      ),
    })
    .strict(),
  container_commands: z.record(
    z.string(),
    z
      .object({
        command: commandLine,
        cwd: z.string().optional(),
        env: environment.optional(),
        test: z.string().optional(),
        ignoreErrors: trueOrFalse('ignoreErrors').optional(),
        leader_only: trueOrFalse('leader_only').optional(),
      })
      .strict(),
  ),
  Resources: z.record(
    z.string(),
    z.record(z.string(), z.unknown(), { message: 'a resource is a map (Type, Properties, …)' }).superRefine((resource, ctx) => {
      if (resource.Type !== undefined && (typeof resource.Type !== 'string' || !/^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9:]+$/.test(resource.Type))) {
        ctx.addIssue({ code: 'custom', path: ['Type'], message: 'Type is a CloudFormation resource type, e.g. AWS::SQS::Queue' });
      }
    }),
  ),
  Parameters: z.record(z.string(), z.looseObject({ Type: z.string({ message: 'a parameter needs a Type, e.g. String' }) })),
  Outputs: z.record(z.string(), z.looseObject({ Value: z.unknown().refine((value) => value !== undefined, 'an output needs a Value') })),
  Mappings: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()), { message: 'a mapping is a map of keys to maps of values' })),
};

const CLOUDFORMATION = "Wharf has no CloudFormation stack to add it to. Use Wharf's own resources (wharf ecs, wharf elbv2) beside the environment";
const BUILD_INSTEAD = "put that step in the platform's build instead: package.json scripts (nodejs), requirements.txt (python) or the Dockerfile (docker)";

/** Why each key is refused for now, and what to do instead. */
const NOT_YET_SUPPORTED: Readonly<Record<string, string>> = {
  packages: `it installs operating-system packages on the instance; ${BUILD_INSTEAD}`,
  groups: 'it creates Linux groups on the instance; a Dockerfile can create them (RUN groupadd) for the docker platform',
  users: 'it creates Linux users on the instance; a Dockerfile can create them (RUN useradd) for the docker platform',
  sources: 'it downloads archives onto the instance; put the files in the source bundle',
  files: 'it writes files on the instance; put the files in the source bundle (or COPY them in a Dockerfile)',
  commands: `it runs commands as root on the instance before the application is set up; ${BUILD_INSTEAD}`,
  services: 'it manages sysvinit services on the instance; run each process as its own environment or in a Procfile',
  container_commands: `it runs commands in the staging folder before the deployment (leader_only ones on one instance); ${BUILD_INSTEAD}, and run one-off tasks such as database migrations with wharf ecs run-task`,
  Resources: CLOUDFORMATION,
  Parameters: CLOUDFORMATION,
  Outputs: CLOUDFORMATION,
  Mappings: CLOUDFORMATION,
};

const TOP_LEVEL_KEYS = ['option_settings', ...Object.keys(SECTION_SCHEMAS)];

/**
 * Reads `.ebextensions/*.config` of an unpacked source bundle. No folder, no settings, no errors.
 * Files are read in lexicographic order of their names (by code unit: `10.config` before
 * `2.config`); entries that are not regular files ending in `.config` are skipped, as Elastic
 * Beanstalk does.
 */
export async function readEbextensions(sourceDir: string): Promise<EbextensionsResult> {
  const folder = path.join(sourceDir, FOLDER);
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { optionSettings: [], errors: [] };
    throw error;
  }
  const files = entries
    .filter((entry) => entry.name.endsWith('.config') && (entry.isFile() || entry.isSymbolicLink()))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const optionSettings: EbextensionsSetting[] = [];
  const errors: ConfigFileError[] = [];
  for (const name of files) {
    const file = `${FOLDER}/${name}`;
    let text: string;
    try {
      // Refused before it is read: a huge file costs nothing.
      const { size } = await stat(path.join(folder, name));
      if (size > MAX_CONFIG_FILE_BYTES) {
        errors.push({ file, message: tooLargeMessage(size) });
        continue;
      }
      text = await readFile(path.join(folder, name), 'utf8');
    } catch (error) {
      errors.push({ file, message: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    const result = parseEbextensionsFile(text, file);
    optionSettings.push(...result.optionSettings);
    errors.push(...result.errors);
  }
  return { optionSettings, errors };
}

/** Reads one config file's text; `file` names it in the results. */
export function parseEbextensionsFile(text: string, file: string): EbextensionsResult {
  const loaded = loadConfig(text);
  const errors: ConfigFileError[] = loaded.errors.map((message) => ({ file, message }));
  if (loaded.errors.length > 0 || loaded.value === undefined || loaded.value === null) return { optionSettings: [], errors };
  const fail = (at: ValuePath, message: string) => errors.push({ file, message: located(loaded, at, message) });
  if (!isPlainMap(loaded.value)) {
    fail([], `a config file is a map of keys (${TOP_LEVEL_KEYS.join(', ')}), not a ${Array.isArray(loaded.value) ? 'list' : 'single value'}`);
    return { optionSettings: [], errors };
  }

  let settings: LocatedSetting[] = [];
  for (const [key, value] of Object.entries(loaded.value)) {
    if (key === 'option_settings') {
      const read = readOptionSettings(value);
      settings = read.settings;
      for (const problem of read.problems) fail(problem.path, `${formatPath(problem.path)}: ${problem.message}`);
      continue;
    }
    const schema = SECTION_SCHEMAS[key];
    if (!schema) {
      fail([key], `unknown top-level key "${key}"; a config file has ${TOP_LEVEL_KEYS.join(', ')}`);
      continue;
    }
    if (value === null || (isPlainMap(value) && Object.keys(value).length === 0)) continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const at: ValuePath = [key, ...issue.path.map((part) => (typeof part === 'number' ? part : String(part)))];
        if (issue.code === 'unrecognized_keys') {
          for (const unknown of issue.keys) fail([...at, unknown], `${formatPath([...at, unknown])}: unknown key; remove it or check its spelling`);
        } else {
          fail(at, `${formatPath(at)}: ${issue.message}`);
        }
      }
    }
    fail([key], `"${key}" is valid in an Elastic Beanstalk config file, but not yet supported by Wharf: ${NOT_YET_SUPPORTED[key]}. Remove the ${key} section from ${file}`);
  }

  const seen = new Map<string, LocatedSetting>();
  for (const located of settings) {
    const setting = normalizeSetting(located.setting);
    for (const message of validateSettingsLayer([setting])) fail(located.path, `${setting.Namespace}: ${message.Message}`);
    const earlier = seen.get(settingKey(setting));
    if (earlier) {
      fail(located.path, `${setting.OptionName} of ${setting.Namespace} is set twice in this file (also at ${loaded.at(earlier.path) || formatPath(earlier.path)}); keep one`);
    } else {
      seen.set(settingKey(setting), located);
    }
  }
  return { optionSettings: settings.map(({ setting }) => ({ ...setting, file })), errors };
}

function located(loaded: LoadedConfig, at: ValuePath, message: string): string {
  const where = loaded.at(at);
  return where ? `${where}: ${message}` : message;
}

const LIST_ITEM_KEYS = new Set(['namespace', 'option_name', 'value', 'resource_name']);

/** `option_settings` in any of its three forms. */
function readOptionSettings(value: unknown): { settings: LocatedSetting[]; problems: { path: ValuePath; message: string }[] } {
  const base: ValuePath = ['option_settings'];
  if (value === null) return { settings: [], problems: [] };
  if (isPlainMap(value)) return shorthandSettings(value, base);
  if (!Array.isArray(value)) {
    return { settings: [], problems: [{ path: base, message: 'option_settings is a list of { namespace, option_name, value } or a map of namespaces to { option: value }' }] };
  }
  const settings: LocatedSetting[] = [];
  const problems: { path: ValuePath; message: string }[] = [];
  value.forEach((item: unknown, index) => {
    const at: ValuePath = [...base, index];
    if (!isPlainMap(item)) {
      problems.push({ path: at, message: 'each item is a map with option_name and value (and namespace, resource_name when needed)' });
      return;
    }
    const unknown = Object.keys(item).filter((key) => !LIST_ITEM_KEYS.has(key));
    for (const key of unknown) problems.push({ path: [...at, key], message: `unknown key "${key}"; an item has namespace, option_name, value and resource_name` });
    const namespace = item.namespace === undefined ? NS.environmentProperties : settingText(item.namespace);
    const name = settingText(item.option_name);
    const text = item.value === undefined ? undefined : settingText(item.value);
    const resource = item.resource_name === undefined ? undefined : settingText(item.resource_name);
    if (!namespace) problems.push({ path: [...at, 'namespace'], message: 'namespace must be text, e.g. aws:autoscaling:asg (leave it out for an environment property)' });
    if (!name) problems.push({ path: [...at, 'option_name'], message: 'option_name is required: the option (or environment property) to set' });
    if (item.value === undefined) problems.push({ path: at, message: 'value is required (use value: "" for an empty one)' });
    else if (text === undefined) problems.push({ path: [...at, 'value'], message: 'value must be text, a number or true/false, not a list or map (give a list as comma-separated text)' });
    if (item.resource_name !== undefined && !resource) problems.push({ path: [...at, 'resource_name'], message: 'resource_name must be text' });
    if (!namespace || !name || text === undefined || unknown.length > 0 || (item.resource_name !== undefined && !resource)) return;
    settings.push({ setting: { Namespace: namespace, OptionName: name, Value: text, ...(resource ? { ResourceName: resource } : {}) }, path: at });
  });
  return { settings, problems };
}
