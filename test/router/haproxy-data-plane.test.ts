// The haproxy data plane: the data plane contract on Debian's HAProxy (installed by
// scripts/install-deps.sh --for-tests), each test with its own HAProxy on its own folder.
import { createLogger } from '../../src/log.js';
import { HAProxyDataPlane } from '../../src/router/haproxy/haproxy-data-plane.js';
import { dataPlaneContract } from './data-plane-contract.js';

dataPlaneContract('haproxy', {
  makePlane: (_t, dataDir) => Promise.resolve(new HAProxyDataPlane({ dataDir, log: createLogger((process.env.WHARF_TEST_ROUTER_LOG as 'info' | undefined) ?? 'silent', 'haproxy') })),
});
