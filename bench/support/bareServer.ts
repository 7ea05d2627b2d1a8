// The ceiling of the HTTP layer on this machine: fastify with one route that
// answers a fixed JSON body, no validation, no store. Prints its URL.
import Fastify from 'fastify';

const body = { total: 1, hits: [{ job: { jobId: 'j000001', title: 'Seasonal Barista', category: 'hospitality', employmentType: 'seasonal' }, score: 1 }] };
const app = Fastify({ logger: false });
app.get('/bare', async () => body);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`listening http://127.0.0.1:${port}\n`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void app.close().then(() => process.exit(0)));
