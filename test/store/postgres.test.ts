/** The store contract on the PostgreSQL store (the suite's private server; see test/support/postgres.ts). */
import { storeContract } from './contract.js';
import { postgresLocation } from './locations.js';

storeContract('postgres', postgresLocation);
