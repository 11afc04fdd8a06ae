/**
 * Applications, application versions, environments and saved configurations: JSON documents with
 * the columns the lists and the uniqueness rules need beside them.
 */
import type { ApplicationRecord, ApplicationVersionRecord, ConfigurationTemplateRecord, EnvironmentRecord } from '../../model/platform.js';
import type { SqlExecutor } from '../sql.js';
import type { PlatformRepository } from '../store.js';

const parse = <T>(rows: readonly { document: string }[]): T[] => rows.map((r) => JSON.parse(r.document) as T);

export function platformRepository(exec: SqlExecutor): PlatformRepository {
  return {
    async insertApplication(a) {
      await exec.run('INSERT INTO applications (application_name, document) VALUES (?, ?)', [a.applicationName, JSON.stringify(a)]);
    },
    async getApplication(name) {
      return parse<ApplicationRecord>(await exec.query<{ document: string }>('SELECT document FROM applications WHERE application_name = ?', [name]))[0];
    },
    async replaceApplication(a) {
      await exec.run('UPDATE applications SET document = ? WHERE application_name = ?', [JSON.stringify(a), a.applicationName]);
    },
    async listApplications() {
      return parse<ApplicationRecord>(await exec.query<{ document: string }>('SELECT document FROM applications ORDER BY application_name'));
    },
    async deleteApplication(name) {
      await exec.run('DELETE FROM applications WHERE application_name = ?', [name]);
    },

    async insertVersion(v) {
      await exec.run('INSERT INTO application_versions (application_name, version_label, created_at, document) VALUES (?, ?, ?, ?)', [
        v.applicationName,
        v.versionLabel,
        v.createdAt,
        JSON.stringify(v),
      ]);
    },
    async getVersion(app, label) {
      return parse<ApplicationVersionRecord>(
        await exec.query<{ document: string }>('SELECT document FROM application_versions WHERE application_name = ? AND version_label = ?', [app, label]),
      )[0];
    },
    async replaceVersion(v) {
      await exec.run('UPDATE application_versions SET document = ? WHERE application_name = ? AND version_label = ?', [JSON.stringify(v), v.applicationName, v.versionLabel]);
    },
    async listVersions(app) {
      return parse<ApplicationVersionRecord>(
        await exec.query<{ document: string }>(
          'SELECT document FROM application_versions WHERE (CAST(? AS TEXT) IS NULL OR application_name = ?) ORDER BY created_at DESC, application_name, version_label',
          [app ?? null, app ?? null],
        ),
      );
    },
    async deleteVersion(app, label) {
      await exec.run('DELETE FROM application_versions WHERE application_name = ? AND version_label = ?', [app, label]);
    },

    async insertEnvironment(e) {
      await exec.run('INSERT INTO environments (environment_id, environment_name, cname, application_name, status, version, document) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        e.environmentId,
        e.environmentName,
        e.cname,
        e.applicationName,
        e.status,
        e.version,
        JSON.stringify(e),
      ]);
    },
    async getEnvironment(id) {
      return parse<EnvironmentRecord>(await exec.query<{ document: string }>('SELECT document FROM environments WHERE environment_id = ?', [id]))[0];
    },
    async findLiveEnvironment(by) {
      const [column, value] = 'cname' in by ? ['cname', by.cname] : ['environment_name', by.environmentName];
      return parse<EnvironmentRecord>(await exec.query<{ document: string }>(`SELECT document FROM environments WHERE ${column} = ? AND status <> 'Terminated'`, [value]))[0];
    },
    async replaceEnvironment(next) {
      const result = await exec.run('UPDATE environments SET environment_name = ?, cname = ?, status = ?, version = ?, document = ? WHERE environment_id = ? AND version = ?', [
        next.environmentName,
        next.cname,
        next.status,
        next.version,
        JSON.stringify(next),
        next.environmentId,
        next.version - 1,
      ]);
      return result.changes === 1;
    },
    async listEnvironments({ applicationName, includeTerminated }) {
      return parse<EnvironmentRecord>(
        await exec.query<{ document: string }>(
          "SELECT document FROM environments WHERE (CAST(? AS TEXT) IS NULL OR application_name = ?) AND (? = 1 OR status <> 'Terminated') ORDER BY application_name, environment_name, environment_id",
          [applicationName ?? null, applicationName ?? null, includeTerminated ? 1 : 0],
        ),
      );
    },

    async putTemplate(t) {
      await exec.run(
        'INSERT INTO configuration_templates (application_name, template_name, document) VALUES (?, ?, ?) ON CONFLICT (application_name, template_name) DO UPDATE SET document = excluded.document',
        [t.applicationName, t.templateName, JSON.stringify(t)],
      );
    },
    async getTemplate(app, name) {
      return parse<ConfigurationTemplateRecord>(
        await exec.query<{ document: string }>('SELECT document FROM configuration_templates WHERE application_name = ? AND template_name = ?', [app, name]),
      )[0];
    },
    async listTemplates(app) {
      return parse<ConfigurationTemplateRecord>(await exec.query<{ document: string }>('SELECT document FROM configuration_templates WHERE application_name = ? ORDER BY template_name', [app]));
    },
    async deleteTemplate(app, name) {
      await exec.run('DELETE FROM configuration_templates WHERE application_name = ? AND template_name = ?', [app, name]);
    },
  };
}
