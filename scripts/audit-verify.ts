import { readFile } from 'node:fs/promises';
import { verifyChain, type ChainedAuditEvent } from '../src/audit/audit-chain';
import { openCaseStore } from '../src/store/open-store';

/**
 * `npm run audit:verify [evidence-pack.json]`: checks the hash chain of every case in the store
 * (MONGODB_URI, or the embedded store in DATA_DIR, default .data), or of one exported evidence pack.
 * Exit code 0 when every chain is intact, 1 when something was edited, deleted or reordered.
 */
async function verifyStore(): Promise<string[]> {
  const store = await openCaseStore({ mongodbUri: process.env.MONGODB_URI, mongodbDb: process.env.MONGODB_DB, dataDir: process.env.DATA_DIR ?? '.data' });
  try {
    const problems: string[] = [];
    const caseIds = await store.listAuditedCaseIds();
    for (const id of caseIds) problems.push(...verifyChain(await store.listAudit(id)));
    process.stdout.write(`Checked the audit chains of ${caseIds.length} case(s).\n`);
    return problems;
  } finally {
    await store.close();
  }
}

async function verifyPack(file: string): Promise<string[]> {
  const pack = JSON.parse(await readFile(file, 'utf8')) as { audit?: ChainedAuditEvent[]; auditEvents?: ChainedAuditEvent[] };
  const events = pack.audit ?? pack.auditEvents;
  if (!Array.isArray(events)) return [`${file} holds no audit events (expected an "audit" array)`];
  process.stdout.write(`Checked ${events.length} audit event(s) in ${file}.\n`);
  return verifyChain(events);
}

async function run(): Promise<void> {
  const file = process.argv[2];
  const problems = file ? await verifyPack(file) : await verifyStore();
  if (problems.length > 0) {
    process.stderr.write(`The audit log was tampered with:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write('Audit log intact.\n');
}

run().catch((err: Error) => {
  process.stderr.write(`audit:verify failed: ${err.message}\n`);
  process.exit(2);
});
