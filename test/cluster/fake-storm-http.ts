/**
 * Fake Storm UI (REST /api/v1) and logviewer servers on 127.0.0.1, answering with the
 * shapes Storm 2.x documents: topology/summary, topology/:id, topology/:id/component/:cid,
 * and the logviewer's HTML log page (escaped text in <pre class="logContent">, pager links,
 * "Cannot start past the end of the file" past the end).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on 127.0.0.1:port. */
export interface FakeServer {
  url: string;
  requests: string[];
  stop(): Promise<void>;
}

async function listen(handler: (url: URL) => { status: number; type: string; body: string }): Promise<FakeServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const answer = handler(url);
    res.writeHead(answer.status, { 'content-type': answer.type });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The topology the fake UI describes. */
export const UI_TOPOLOGY_ID = 'wordcount-1-1700000000';

/** A fake Storm UI for one running wordcount topology whose workers are on `host` ports 6700/6701. */
export function fakeStormUi(host = '127.0.0.1'): Promise<FakeServer> {
  const json = (body: unknown) => ({ status: 200, type: 'application/json', body: JSON.stringify(body) });
  return listen((url) => {
    const path = url.pathname;
    if (path === '/api/v1/topology/summary') {
      return json({ topologies: [{ id: UI_TOPOLOGY_ID, encodedId: UI_TOPOLOGY_ID, name: 'wordcount', status: 'ACTIVE', uptime: '2m 3s', uptimeSeconds: 123, tasksTotal: 7, workersTotal: 2, executorsTotal: 7 }] });
    }
    if (path === `/api/v1/topology/${UI_TOPOLOGY_ID}`) {
      return json({
        id: UI_TOPOLOGY_ID,
        name: 'wordcount',
        status: 'ACTIVE',
        uptimeSeconds: 123,
        spouts: [{ spoutId: 'sentences', executors: 1, tasks: 1, emitted: 5000, transferred: 5000, acked: 4990, failed: 2, completeLatency: '12.500', lastError: '' }],
        bolts: [
          { boltId: 'split', executors: 2, tasks: 2, emitted: 30000, transferred: 30000, acked: 5000, failed: 0, executed: 5000, executeLatency: '0.052', processLatency: '1.234', capacity: '0.001', lastError: '' },
          { boltId: 'count', executors: 2, tasks: 4, emitted: 30000, transferred: 0, acked: 30000, failed: 0, executed: 30000, executeLatency: '0.031', processLatency: '0.456', capacity: '0.002', lastError: 'java.lang.RuntimeException: boom\n\tat ShellBolt' },
        ],
      });
    }
    const component = new RegExp(`^/api/v1/topology/${UI_TOPOLOGY_ID}/component/(\\w+)$`).exec(path);
    if (component) {
      const ports: Record<string, number[]> = { sentences: [6700], split: [6700, 6701], count: [6701] };
      const list = ports[component[1]!] ?? [];
      return json({ id: component[1], componentType: component[1] === 'sentences' ? 'spout' : 'bolt', executorStats: list.map((port, i) => ({ id: `[${i + 1}-${i + 1}]`, host, port, uptime: '2m', emitted: 10 })) });
    }
    return { status: 404, type: 'application/json', body: JSON.stringify({ error: 'Not Found', errorMessage: `${path} not found` }) };
  });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A fake logviewer serving in-memory logs by `<topologyId>/<port>/worker.log`; append to `logs` to grow them. */
export function fakeLogviewer(logs: Map<string, string>): Promise<FakeServer> {
  return listen((url) => {
    if (url.pathname !== '/api/v1/log') return { status: 404, type: 'text/html', body: 'Page not found' };
    const file = url.searchParams.get('file') ?? '';
    const content = logs.get(file);
    if (content === undefined) return { status: 404, type: 'text/html', body: 'Page not found' };
    const bytes = Buffer.from(content);
    const length = Number(url.searchParams.get('length') ?? 51200);
    const startParam = url.searchParams.get('start');
    if (startParam !== null && Number(startParam) >= bytes.length) {
      return { status: 400, type: 'text/html', body: 'Cannot start past the end of the file' };
    }
    const start = startParam === null ? bytes.length - length : Number(startParam);
    const page = bytes.subarray(Math.max(0, start), Math.max(0, start) + length).toString('utf8');
    const next = Math.min(Math.max(0, bytes.length - length), start + length);
    const link = (label: string, s: number) => `<a href="/api/v1/log?file=${encodeURIComponent(file)}&amp;start=${s}&amp;length=${length}" class="btn btn-default enabled">${label}</a>`;
    const body = `<html><head><title>${escapeHtml(file)} - Storm Log Viewer</title></head><body><h3>${escapeHtml(file)}</h3><div>${link('Prev', Math.max(0, start - length))}${link('First', 0)}${link('Next', next)}</div><pre class="logContent">${escapeHtml(page)}</pre></body></html>`;
    return { status: 200, type: 'text/html', body };
  });
}
