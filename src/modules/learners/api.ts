// What other modules may read of this module's rows. Other modules import this file (or the
// service), never ./store.ts: the store is private to the module (enforced by eslint.config.js).
export { learnerCards, learnerNames } from './store.js';
