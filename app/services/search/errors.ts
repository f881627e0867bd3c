// Errors of the search domain, declared in the contract (they cross the wire).
export { SearchError } from '../../contract/errors.js';
