// Answers with a greeting from the environment's properties; /health for the load balancer.
const http = require('node:http');

const port = Number(process.env.PORT ?? 3000);
http
  .createServer((request, response) => {
    if (request.url === '/health') return response.end('ok\n');
    response.end(`${process.env.GREETING ?? 'Hello'} from a container (${require('node:os').hostname()})\n`);
  })
  .listen(port, '0.0.0.0', () => console.log(`listening on ${port}`));
