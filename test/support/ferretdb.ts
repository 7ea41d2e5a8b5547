import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { MongoClient } from 'mongodb';
import { freeLoopbackPort } from './child-processes';

/** A MongoDB-compatible server for tests; one per mocha process, shared by every test file. */
export interface TestMongo {
  uri: string;
  /** Unique to this run, so runs sharing one server (MONGODB_URI) never see each other's data. */
  dbName: string;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'Install FerretDB v1.24 with scripts/install-ferretdb.sh (needs Go; a plain `go install` builds a binary that ' +
  'panics at start-up). Set FERRETDB_BIN to use a binary elsewhere, or MONGODB_URI to test against an existing MongoDB.';

const READY_TIMEOUT_MS = 20_000;

let shared: Promise<TestMongo> | undefined;

/**
 * Starts (once per process) the server the Mongo store tests run against: MONGODB_URI when set,
 * otherwise a throwaway FerretDB with its SQLite backend in a temp dir on a free loopback port.
 */
export function startMongoForTests(): Promise<TestMongo> {
  shared ??= start().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}

/** Stops the shared server if one was started; the next startMongoForTests starts a new one. */
export async function stopMongoForTests(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current) await (await current).stop();
}

async function start(): Promise<TestMongo> {
  const dbName = `offboarding_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const external = process.env.MONGODB_URI;
  if (external) {
    await waitForPing(external, () => undefined);
    return { uri: external, dbName, stop: async () => undefined };
  }
  return startFerretDb(dbName);
}

function ferretDbBinary(): string {
  const goPath = process.env.GOPATH?.split(delimiter)[0] || join(homedir(), 'go');
  const bin = process.env.FERRETDB_BIN ?? join(goPath, 'bin', 'ferretdb');
  if (!existsSync(bin)) throw new Error(`FerretDB binary not found at ${bin}.\n${INSTALL_HINT}`);
  return bin;
}

async function startFerretDb(dbName: string): Promise<TestMongo> {
  const bin = ferretDbBinary();
  const dir = mkdtempSync(join(tmpdir(), 'ferretdb-test-'));
  const port = await freeLoopbackPort();
  const child = spawn(
    bin,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      // The default debug listener is a fixed port, which would clash between parallel runs.
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  const cleanUpOnExit = (): void => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanUpOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', cleanUpOnExit);
    await terminate(child);
    rmSync(dir, { recursive: true, force: true });
  };

  const uri = `mongodb://127.0.0.1:${port}/`;
  try {
    await waitForPing(uri, () =>
      child.exitCode !== null || child.signalCode !== null
        ? `FerretDB (${bin}) exited with ${child.exitCode ?? child.signalCode} before accepting connections:\n` +
          `${stderr}\n${INSTALL_HINT}`
        : undefined,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { uri, dbName, stop };
}

/** Polls until the server answers a ping; `gaveUp` explains why waiting is pointless (server died). */
async function waitForPing(uri: string, gaveUp: () => string | undefined): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const reason = gaveUp();
    if (reason) throw new Error(reason);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.close();
    }
  }
  throw new Error(`MongoDB-compatible server at ${uri} did not answer a ping within ${READY_TIMEOUT_MS} ms: ${String(lastError)}`);
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const forceKill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(forceKill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// Mocha loads spec files before running, so this registers one root-level hook for the whole run.
if (typeof after === 'function') after(stopMongoForTests);
