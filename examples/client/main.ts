/**
 * `npm run example:client -- spb [pageSize]`: prints every available number of
 * a region, one per line, from the gateway at GRAPHQL_URL (default: local).
 */
import { regionNumbers } from './regionNumbers.js';

const [region = 'spb', pageSize = '100'] = process.argv.slice(2);
const url = process.env.GRAPHQL_URL ?? 'http://localhost:4000/graphql';

// Piped into `head`: stop quietly once the reader has gone.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

let count = 0;
for await (const page of regionNumbers({ url, region, pageSize: Number(pageSize) })) {
  for (const number of page) {
    count += 1;
    process.stdout.write(`${number.phoneNumber}\t${number.category}\t${number.minCharge ?? ''}\n`);
  }
}
process.stderr.write(`${count} numbers in ${region}\n`);
