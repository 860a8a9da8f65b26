// A round-robin HTTP load balancer on a free loopback port, so a browser-like user
// with one origin (one cookie jar) reaches several app instances in turn.
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadBalancer {
  readonly url: string;
  /** Bodies of the back-channel logout POSTs that came through, in order. */
  readonly logoutBodies: string[];
  /** Sets the instances' ports; requests go to each in turn. */
  route(ports: number[]): void;
  close(): Promise<void>;
}

export async function startLoadBalancer(port = 0): Promise<LoadBalancer> {
  let ports: number[] = [];
  let next = 0;
  const logoutBodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const target = ports[next++ % ports.length];
    if (target === undefined) {
      res.writeHead(503).end();
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    if (req.method === 'POST' && req.url === '/backchannel-logout') {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => logoutBodies.push(body));
    }
    req.pipe(upstream);
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${bound}`,
    logoutBodies,
    route: (instances) => {
      ports = instances;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
