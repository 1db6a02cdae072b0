import { nativeUnavailable } from '../../main/engine/generate/native-step';

/**
 * node:test options for a test of the native step: in CI (CI=true, where `npm test` builds it)
 * the test runs and fails if the step is missing; elsewhere it is skipped with the reason.
 */
export function nativeTestOptions(): { skip?: string } {
  const why = nativeUnavailable();
  return why && !process.env.CI ? { skip: `native step ${why}` } : {};
}
