// The typed client lives in ./client (one client for the whole app); this name stays for the
// screens that import it from here.
export { api, callOrThrow, type Schema } from './client';
