// The W3C suites the bank is tested against, where they are, and the commits docs/conformance.md names.
import path from 'node:path';

export const SUITES = [
  { dir: 'vc-data-model-2.0-test-suite', title: 'w3c/vc-data-model-2.0-test-suite', before: '21 / 59' },
  { dir: 'vc-di-eddsa-test-suite', title: 'w3c/vc-di-eddsa-test-suite', before: '24 / 57' },
  { dir: 'vc-bitstring-status-list-test-suite', title: 'w3c/vc-bitstring-status-list-test-suite', before: '1 / 26' },
  { dir: 'vc-api-issuer-test-suite', title: 'w3c-ccg/vc-api-issuer-test-suite', before: '11 / 13' },
  { dir: 'vc-api-verifier-test-suite', title: 'w3c-ccg/vc-api-verifier-test-suite', before: '17 / 18' },
];

/** Where the suites' checkouts are: $W3C_SUITES (outside the repository). */
export function suitesDir() {
  const dir = process.env.W3C_SUITES;
  if (!dir) throw new Error('Set W3C_SUITES to the directory holding the suites (see docs/conformance.md)');
  return path.resolve(dir);
}
