/**
 * Storm's logviewer (port 8000 on every supervisor host): pages of a worker's log through
 * `/api/v1/log?file=<topologyId>/<port>/worker.log&start&length`. The page is HTML: the text
 * sits escaped in `<pre class="logContent">`, and the pager's "Next" link tells where the file ends.
 */
import { SquallError } from '../common/errors.js';
import { httpGet } from './http-get.js';

/** One page of a log. */
export interface LogPage {
  text: string;
  /** Byte offset just after this page (where the next read starts). */
  end: number;
}

/** Default page size; Storm's logviewer caps a page at 10 MiB. */
export const LOG_PAGE_BYTES = 64 * 1024;

function unescapeHtml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|#39|#x27|#34|apos);/g, (_, entity: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'", '#x27': "'", '#34': '"', apos: "'" })[entity]!);
}

/** The log text of a logviewer page, and the `start` of its "Next" link if any. */
export function parseLogPage(html: string): { text: string; nextStart?: number } {
  const pre = /<pre[^>]*(?:class|id)="logContent"[^>]*>([\s\S]*?)<\/pre>/.exec(html);
  const text = pre ? unescapeHtml(pre[1]!) : '';
  const next = /<a[^>]*href="([^"]*)"[^>]*>\s*Next\s*<\/a>/.exec(html);
  const start = next ? /[?&]start=(\d+)/.exec(unescapeHtml(next[1]!)) : null;
  return { text, nextStart: start ? Number(start[1]) : undefined };
}

/** Reads worker logs from one logviewer. */
export class LogviewerClient {
  constructor(
    /** e.g. `http://worker1:8000` */
    readonly base: string,
    private readonly timeoutMs = 15_000,
  ) {}

  /** `<topologyId>/<port>/worker.log`, the path the logviewer serves. */
  static workerLog(topologyId: string, port: number): string {
    return `${topologyId}/${port}/worker.log`;
  }

  /** The last `length` bytes of a log, with the offset of its end. */
  async tail(file: string, length = LOG_PAGE_BYTES): Promise<LogPage> {
    const html = await this.fetchPage(file, undefined, length);
    const { text, nextStart } = parseLogPage(html ?? '');
    const bytes = Buffer.byteLength(text);
    // A full page means the file is longer: the pager's Next (= size - length) locates its end.
    const end = bytes >= length && nextStart !== undefined ? nextStart + length : bytes;
    return { text, end };
  }

  /** What was appended since `start` (empty when nothing was). */
  async readFrom(file: string, start: number, length = LOG_PAGE_BYTES): Promise<LogPage> {
    const html = await this.fetchPage(file, start, length);
    if (html === undefined) return { text: '', end: start };
    const { text } = parseLogPage(html);
    return { text, end: start + Buffer.byteLength(text) };
  }

  /** GETs one page; undefined when the logviewer says the start is past the end of the file. */
  private async fetchPage(file: string, start: number | undefined, length: number): Promise<string | undefined> {
    const params = new URLSearchParams({ file });
    if (start !== undefined) params.set('start', String(start));
    params.set('length', String(length));
    const url = `${this.base}/api/v1/log?${params}`;
    const response = await httpGet(url, this.timeoutMs, {
      service: 'the logviewer',
      base: this.base,
      hint: 'the logviewer runs on each supervisor host (logviewer.port, 8000 by default); pass --logviewer http://<host>:8000, or tunnel it: ssh -L 8000:<worker-host>:8000 <gateway>',
    });
    const body = response.text;
    if (response.ok) return body;
    if (start !== undefined && /past the end/i.test(body)) return undefined;
    throw new SquallError('cluster', `the logviewer at ${this.base} answered ${response.status} for ${file}: ${body.replace(/<[^>]+>/g, ' ').trim().slice(0, 200)}`, {}, response.status === 404 ? 'the worker may not have written its log yet, or runs on another host' : 'check the logviewer log (logviewer.log) on that host');
  }
}
