/** How a Squall component process ends, so a host can tell a crash from a protocol fault. */

/** The component crashed (threw where Storm would halt the worker); its `error` message is the crash report. */
export const EXIT_CRASH = 1;
/** The host broke the protocol (malformed input or a message over the size limit). */
export const EXIT_PROTOCOL = 2;
