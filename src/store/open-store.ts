import type { CaseStore } from './case-store';
import { EmbeddedCaseStore } from './embedded-case-store';
import { retryWhenBusy } from './busy-retry';
import type { MongoClient } from 'mongodb';
import { MongoCaseStore } from './mongo-case-store';

export interface CaseStoreOptions {
  /** When set, MongoDB (or Cosmos DB for MongoDB, FerretDB) is the store of record. */
  mongodbUri?: string;
  mongodbDb?: string;
  /** Where the embedded store keeps its files when no MongoDB URI is configured. */
  dataDir: string;
}

const DEFAULT_MONGODB_DB = 'offboarding';

/** Opens the configured store with its indexes in place, ready for use. */
export async function openCaseStore(opts: CaseStoreOptions): Promise<CaseStore> {
  const store = opts.mongodbUri
    ? retryWhenBusy(await MongoCaseStore.connect(opts.mongodbUri, opts.mongodbDb ?? DEFAULT_MONGODB_DB))
    : await EmbeddedCaseStore.open(opts.dataDir);
  try {
    await store.init();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/** The MongoDB store on a client the caller owns, wrapped as `openCaseStore` wraps it (not yet initialised). */
export function caseStoreOnClient(client: MongoClient, dbName: string): CaseStore {
  return retryWhenBusy(new MongoCaseStore(client, dbName));
}
