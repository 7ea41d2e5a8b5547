import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';

const root = path.resolve(__dirname, '../..');
const verify = (dataDir: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 30_000,
  });

describe('npm run audit:verify', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'audit-verify-'));
    const store = await EmbeddedCaseStore.open(dir);
    await store.init();
    for (const event of ['case.requested', 'case.approved', 'case.completed']) {
      await store.appendAudit({ caseId: 'c1', at: new Date().toISOString(), actor: 'megan', event, detail: { note: event } });
    }
    await store.close();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('passes an untouched log', () => {
    const run = verify(dir);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Audit log intact/);
  });

  it('catches an event edited on disk', async () => {
    const file = path.join(dir, 'audit_events.db');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"actor":"megan","event":"case.approved"', '"actor":"alex","event":"case.approved"'));
    const run = verify(dir);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /edited/);
  });

  it('catches an event deleted on disk', async () => {
    const file = path.join(dir, 'audit_events.db');
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l && !l.includes('case.approved'));
    await writeFile(file, lines.join('\n') + '\n');
    const run = verify(dir);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /deleted or reordered/);
  });
});
