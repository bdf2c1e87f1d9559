/** The benchmark names in a bench/ listing ("tail" for tail.bench.ts), sorted. */
export declare function benchNames(listing: readonly string[]): string[];
/** The files `npm run bench ARGS` runs and the arguments each gets, or why the name matches none. */
export declare function selectBenches(listing: readonly string[], argv: readonly string[]): { files: string[]; args: string[]; error?: undefined } | { error: string; files?: undefined; args?: undefined };
