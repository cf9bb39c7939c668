/** Checks for the sandbox's own test: one that answers, one that throws, one that never returns, one that eats memory. */
export const checks: Record<string, (input: never) => string | null> = {
  answers: () => null,
  throws: () => {
    throw new Error('boom');
  },
  bloats: () => {
    const hoard: string[][] = [];
    for (;;) hoard.push(Array.from({ length: 100_000 }, (_, i) => `row ${i} of ${hoard.length}`));
  },
  spins: () => {
    for (;;) {
      // an endless loop, as a parser with a bad regex or a bad index might have
    }
  },
};
