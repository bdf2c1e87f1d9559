// Which bench/*.bench.ts files `npm run bench` runs, and with which arguments. Plain Node, so
// the runner decides (and a bad name fails) before the set-up step, and a unit test checks it.
//
// A name is exact: `npm run bench -- tail --only kv` runs tail.bench.ts alone. Matching by
// substring picked tailPanel.bench.ts and tailReconnect.bench.ts as well, and handed them
// flags they reject.

const SUFFIX = '.bench.ts';

/** The benchmark names in a bench/ listing ("tail" for tail.bench.ts), sorted. */
export function benchNames(listing) {
  return listing.filter((f) => f.endsWith(SUFFIX)).map((f) => f.slice(0, -SUFFIX.length)).sort();
}

/**
 * From `npm run bench` arguments: the first one, unless it is a flag, names one benchmark;
 * the rest go to it. With no name every benchmark runs and every argument goes to each.
 * Returns `{ files, args }`, or `{ error }` (the runner exits 2) for a name matching none.
 */
export function selectBenches(listing, argv) {
  const names = benchNames(listing);
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) return { files: names.map((n) => n + SUFFIX), args: [...argv] };
  const name = first.endsWith(SUFFIX) ? first.slice(0, -SUFFIX.length) : first;
  if (!names.includes(name)) {
    return { error: `no benchmark named "${first}" in bench/. Available: ${names.join(', ')}` };
  }
  return { files: [name + SUFFIX], args: rest };
}
