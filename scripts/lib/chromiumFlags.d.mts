/** Flags that make Debian's Chromium behave on a headless 2-core box without network. */
export declare const CHROMIUM_ARGS: string[];
/** The Chromium binary: NATS_FLOW_CHROMIUM, CHROMIUM_BIN or /usr/bin/chromium; throws when it is missing. */
export declare function chromiumPath(env?: NodeJS.ProcessEnv): string;
