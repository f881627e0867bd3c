import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCatalogue, openDatabase, type Db } from '../../../../../app/services/catalogue/database.js';
import { appliedMigrations, migrate, schemaVersion, MigrationError } from '../../../../../app/services/catalogue/migrate.js';
import { migrations, type Migration } from '../../../../../app/services/catalogue/migrations/index.js';
import { catalogueCounts } from '../../../../../app/services/catalogue/counts.js';

const open: Db[] = [];
function tmpDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vb-cat-'));
}
function track(db: Db) {
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

describe('catalogue database', () => {
  it('uses WAL, enforces foreign keys, has a busy timeout and synchronous=NORMAL', () => {
    const db = track(openCatalogue(tmpDir()));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(() =>
      db.prepare("INSERT INTO studies (patient_id, study_instance_uid) VALUES (999, '1.2.3')").run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('applies every migration once, in order, and records it', () => {
    const dir = tmpDir();
    const db = track(openCatalogue(dir));
    const applied = appliedMigrations(db);
    expect(applied.map((m) => m.version)).toEqual(migrations.map((m) => m.version));
    expect(applied.map((m) => m.name)).toEqual(migrations.map((m) => m.name));
    expect(applied.slice(0, 2).map((m) => m.name)).toEqual(['foundation', 'catalogue']);
    expect(schemaVersion(db)).toBe(migrations.length);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['app_meta', 'jobs', 'patients', 'studies', 'series', 'files', 'import_runs', 'file_errors']) {
      expect(tables).toContain(t);
    }
    db.close();
    // reopening applies nothing again
    const again = track(openCatalogue(dir));
    expect(migrate(again, migrations)).toEqual([]);
    expect(appliedMigrations(again)).toHaveLength(migrations.length);
  });

  it('applies only the new migrations when the list grows', () => {
    const file = path.join(tmpDir(), 'x.sqlite');
    const extra: Migration = {
      version: migrations.length + 1,
      name: 'test-extra',
      up: (d) => d.exec('CREATE TABLE extra_t (id INTEGER PRIMARY KEY)'),
    };
    track(openDatabase(file)).close();
    const db = track(openDatabase(file, { migrations: [...migrations, extra] }));
    expect(appliedMigrations(db).map((m) => m.name).at(-1)).toBe('test-extra');
    expect(schemaVersion(db)).toBe(extra.version);
  });

  it('rolls back a failing migration whole and names it', () => {
    const file = path.join(tmpDir(), 'y.sqlite');
    const bad: Migration = {
      version: migrations.length + 1,
      name: 'half-done',
      up: (d) => {
        d.exec('CREATE TABLE half_t (id INTEGER)');
        d.exec('THIS IS NOT SQL');
      },
    };
    expect(() => openDatabase(file, { migrations: [...migrations, bad] })).toThrow(new RegExp(`migration ${bad.version} \\(half-done\\) failed`));
    const db = track(openDatabase(file));
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name='half_t'").get()).toEqual({ n: 0 });
  });

  it('refuses a database newer than the app and an out-of-order list', () => {
    const file = path.join(tmpDir(), 'z.sqlite');
    const future: Migration = { version: migrations.length + 1, name: 'future', up: () => undefined };
    track(openDatabase(file, { migrations: [...migrations, future] })).close();
    expect(() => openDatabase(file)).toThrow(MigrationError);
    expect(() => openDatabase(':memory:', { migrations: [migrations[1]] })).toThrow(/out of order/);
  });

  it('cascades deletes from patients to files and enforces unique UIDs', () => {
    const db = track(openCatalogue(tmpDir()));
    const p = db.prepare("INSERT INTO patients (patient_key, patient_id) VALUES ('P1|', 'P1')").run().lastInsertRowid;
    const st = db.prepare("INSERT INTO studies (patient_id, study_instance_uid) VALUES (?, '1.2.3')").run(p).lastInsertRowid;
    const se = db
      .prepare("INSERT INTO series (study_id, series_instance_uid, kind, status, modality) VALUES (?, '1.2.3.4', 'dicom', 'complete', 'MR')")
      .run(st).lastInsertRowid;
    db.prepare("INSERT INTO files (path, size, mtime_ms, series_id, sop_instance_uid) VALUES ('/a/1.dcm', 10, 1, ?, '1.2.3.4.1')").run(se);
    db.prepare("INSERT INTO series (study_id, series_instance_uid, kind) VALUES (?, '1.2.3.5', 'dicom')").run(st); // importing
    expect(catalogueCounts(db)).toEqual({ patients: 1, studies: 1, series: 1, files: 1 }); // importing series not counted
    expect(() => db.prepare("INSERT INTO studies (patient_id, study_instance_uid) VALUES (?, '1.2.3')").run(p)).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare("INSERT INTO series (study_id, series_instance_uid, kind, status) VALUES (?, '1.2.3.4', 'dicom', 'bogus')").run(st),
    ).toThrow(/CHECK|UNIQUE/);
    db.prepare('DELETE FROM patients WHERE id = ?').run(p);
    expect(catalogueCounts(db)).toEqual({ patients: 0, studies: 0, series: 0, files: 0 });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
