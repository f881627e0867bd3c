// Domain errors of encoder export (declared in the contract, since they cross the wire).
export { ExportError } from '../../contract/errors.js';
