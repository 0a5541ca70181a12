/** steward/cli: the `steward` command line, a thin layer over steward/jobs. */
export { buildProgram, main } from './main.js';
