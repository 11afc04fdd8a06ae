/** Host ports for process containers: pick a free one, or check that a fixed one is free. */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** What binding a host port said: the port, or the OS's reason it is taken. */
export type PortProbe = { readonly ok: true; readonly port: number } | { readonly ok: false; readonly reason: string };

/**
 * Binds `port` (0 = any free one) on all addresses, closes it again and reports the port. The
 * container binds it next; in between another program could take it (the window is short).
 */
export function probePort(port: number, protocol: 'tcp' | 'udp'): Promise<PortProbe> {
  return protocol === 'tcp' ? probeTcp(port) : probeUdp(port);
}

function probeTcp(port: number): Promise<PortProbe> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error) => resolve({ ok: false, reason: error.message }));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve({ ok: true, port: bound }));
    });
  });
}

function probeUdp(port: number): Promise<PortProbe> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', (error) => {
      socket.close();
      resolve({ ok: false, reason: error.message });
    });
    socket.bind({ port, address: '0.0.0.0', exclusive: true }, () => {
      const bound = socket.address().port;
      socket.close(() => resolve({ ok: true, port: bound }));
    });
  });
}
