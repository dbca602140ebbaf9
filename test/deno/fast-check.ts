// fast-check for Deno without a registry: test/deno/deno.json maps the bare 'fast-check' (which the
// shared property cases import, test/shared/cases/properties.ts) to this file, this file to the
// package in node_modules, and the pure-rand subpaths it imports to their files there (with the
// type declarations Deno's check needs). Node and the browser resolve 'fast-check' themselves.
// @ts-types="../../node_modules/fast-check/lib/fast-check.d.ts"
import fc from '../../node_modules/fast-check/lib/fast-check.js';
export default fc;
