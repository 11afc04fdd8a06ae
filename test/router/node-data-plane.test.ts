// The node data plane: the data plane contract on the built-in proxy.
import { NodeDataPlane } from '../../src/router/node/node-data-plane.js';
import { dataPlaneContract } from './data-plane-contract.js';

dataPlaneContract('node', { makePlane: () => Promise.resolve(new NodeDataPlane()) });
