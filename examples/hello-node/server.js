// A small web app for Wharf: listens on $PORT (set by the platform), answers with a greeting
// from the environment's properties, and serves /health for the load balancer's health check.
const http = require('node:http');

const started = new Date().toISOString();
http
  .createServer((request, response) => {
    if (request.url === '/health') return response.end('ok\n');
    response.setHeader('content-type', 'text/plain; charset=utf-8');
    response.end(`${process.env.GREETING ?? 'Hello'} from Wharf (pid ${process.pid}, up since ${started})\n`);
  })
  .listen(Number(process.env.PORT ?? 3000), () => console.log(`listening on ${process.env.PORT ?? 3000}`));
