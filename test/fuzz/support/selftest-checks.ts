/** Checks for the sandbox's own test: one that answers, one that throws, one that never returns. */
export const checks: Record<string, (input: never) => string | null> = {
  answers: () => null,
  throws: () => {
    throw new Error('boom');
  },
  spins: () => {
    for (;;) {
      // an endless loop, as a parser with a bad regex or a bad index might have
    }
  },
};
