/** Ports and small HTTP servers on 127.0.0.1 for the tests: targets a router forwards to, ports a listener binds. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import type { CleanupScope } from './temp.js';

/** A TCP port that was free a moment ago: listen on port 0, note the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * An HTTP server on 127.0.0.1 answering with `handler`, on `port` (a free one when 0): a target
 * to register behind a load balancer, started when the test wants it up. It is closed after
 * `scope` and does not keep the process alive. Returns the port it listens on.
 */
export async function startHttpTarget(scope: CleanupScope, handler: http.RequestListener, port = 0): Promise<number> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  scope.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.unref();
  return (server.address() as AddressInfo).port;
}
