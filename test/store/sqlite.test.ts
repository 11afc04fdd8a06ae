/** The store contract on the embedded SQLite store. */
import { storeContract } from './contract.js';
import { sqliteLocation } from './locations.js';

storeContract('sqlite', sqliteLocation);
