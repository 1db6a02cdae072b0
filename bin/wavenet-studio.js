#!/usr/bin/env node
// The CLI runs its TypeScript sources through tsx, so a clone works without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/index.ts');
