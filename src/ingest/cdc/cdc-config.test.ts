import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { redactPostgresUrl } from './cdc-config.js';

describe('CDC configuration', () => {
  it('is absent without CDC_DATABASE_URL, whatever else is set', () => {
    expect(loadConfig({ CDC_SLOT: 'other' }).cdc).toBeUndefined();
  });

  it('defaults the table, slot and publication', () => {
    const cfg = loadConfig({ CDC_DATABASE_URL: 'postgres://farol:s3cret@db:5432/registry' });
    expect(cfg.cdc).toEqual({
      url: 'postgres://farol:s3cret@db:5432/registry',
      tables: [{ schema: 'public', name: 'club_members' }],
      slot: 'farol_club',
      publication: 'farol_club',
    });
  });

  it('reads a list of tables, and refuses names that are not plain identifiers or URLs that are not PostgreSQL', () => {
    const cfg = loadConfig({ CDC_DATABASE_URL: 'postgresql://u@h/d', CDC_TABLES: 'crm.members, clubs' });
    expect(cfg.cdc?.tables).toEqual([{ schema: 'crm', name: 'members' }, { schema: 'public', name: 'clubs' }]);
    expect(() => loadConfig({ CDC_DATABASE_URL: 'postgres://u@h/d', CDC_TABLES: 'public."x"; drop' })).toThrow(ConfigError);
    expect(() => loadConfig({ CDC_DATABASE_URL: 'postgres://u@h/d', CDC_SLOT: 'Farol-Club' })).toThrow(/CDC_SLOT/);
    expect(() => loadConfig({ CDC_DATABASE_URL: 'mysql://u@h/d' })).toThrow(/CDC_DATABASE_URL/);
  });

  it('has a schedule variable like every source, and never shows the password', () => {
    expect(loadConfig({ FAROL_SCHEDULE_CLUB_REGISTRY: '30s' }).schedules['club-registry']).toBe(30_000);
    expect(redactPostgresUrl('postgres://farol:s3cret@db:5432/registry?sslmode=require')).toBe('postgres://farol@db:5432/registry');
  });
});
