/** One GET to a Storm HTTP service (UI, logviewer), with a SquallError naming it when it cannot be reached. */
import { SquallError } from '../common/errors.js';

/** What came back: the status and the body as text (the caller decides what a non-2xx means). */
export interface HttpAnswer {
  ok: boolean;
  status: number;
  text: string;
}

/**
 * GETs `url` within `timeoutMs`. A refused connection, an unknown host or a timeout becomes
 * `cannot reach <service> at <base>: <cause>` with `hint`; any answer, even 404, is returned.
 */
export async function httpGet(url: string, timeoutMs: number, where: { service: string; base: string; hint: string }): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new SquallError('cluster', `cannot reach ${where.service} at ${where.base}: ${cause}`, {}, where.hint);
  }
  return { ok: response.ok, status: response.status, text: await response.text() };
}
