import { calls, isCallName, type CallName, type CallResult } from '../contract/index';
import { describeError, isStudioError } from '../engine/errors';
import type { CallReply } from '../contract/wire';

/** The service behind each call, given arguments already checked against the contract. */
export type Handlers = { [N in CallName]: (args: import('zod').output<(typeof calls)[N]['args']>) => Promise<CallResult<N>> | CallResult<N> };

export type Dispatch = (method: string, args: unknown) => Promise<CallReply>;

/**
 * One entry for every call from either transport: unknown names and bad arguments are refused
 * with a typed one-line error; a service's error keeps its code; nothing throws back to the caller.
 */
export function createDispatch(handlers: Handlers, log: (line: string) => void = () => undefined): Dispatch {
  return async (method, args) => {
    if (!isCallName(method)) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `There is no API call "${method}".` } };
    const parsed = calls[method].args.safeParse(args ?? undefined);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      return { ok: false, error: { code: 'BAD_ARGUMENTS', message: `Bad arguments for ${method}${where}: ${issue?.message ?? 'wrong shape'}.` } };
    }
    try {
      const handler = handlers[method] as (a: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (e) {
      if (!isStudioError(e)) log(`${method} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { ok: false, error: { code: isStudioError(e) ? e.code : 'INTERNAL', message: describeError(e) } };
    }
  };
}
