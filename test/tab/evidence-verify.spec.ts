import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SEED_IDS } from '../../src/sim/seed';
import { DEMO_USER_HEADER } from '../../src/tab/tab-sign-in';
import { seededCase, startDashboard, type RunningDashboard } from './dashboard-fixture';

const root = path.resolve(__dirname, '../..');
const verify = (file: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', file], { cwd: root, encoding: 'utf8', timeout: 30_000 });

describe('the exported evidence pack verifies with npm run audit:verify', () => {
  let d: RunningDashboard;
  let dir: string;
  before(async () => {
    d = await startDashboard();
    dir = await mkdtemp(path.join(tmpdir(), 'evidence-pack-'));
  });
  after(async () => {
    await d.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes as exported and fails once an event in the file is edited', async () => {
    const c = seededCase(d.app, SEED_IDS.conor);
    await d.store.createCase(c);
    for (const [actor, event] of [[SEED_IDS.alex, 'case.requested'], [SEED_IDS.megan, 'case.approved'], ['engine', 'case.completed']]) {
      await d.store.appendAudit({ caseId: c._id, at: new Date().toISOString(), actor, event });
    }
    const res = await fetch(`${d.url}/api/cases/${c._id}/evidence.json`, { headers: { [DEMO_USER_HEADER]: SEED_IDS.isaiah } });
    assert.equal(res.status, 200);
    const pack = (await res.json()) as { audit: { actor: string; event: string }[] };
    assert.ok(pack.audit.length >= 3);

    const file = path.join(dir, 'pack.json');
    await writeFile(file, JSON.stringify(pack));
    const ok = verify(file);
    assert.equal(ok.status, 0, ok.stderr);

    pack.audit[1].actor = SEED_IDS.alex; // "the requester approved": the forgery an auditor must catch
    await writeFile(file, JSON.stringify(pack));
    const forged = verify(file);
    assert.equal(forged.status, 1);
    assert.match(forged.stderr, /event 2 .*edited/);
  });
});
