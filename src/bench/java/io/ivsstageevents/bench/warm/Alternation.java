package io.ivsstageevents.bench.warm;

/**
 * Which side an iteration measures: A and B alternate in ABBA order (A B, B A, A B, ...), so that a drift over the
 * fork's life weighs on both sides alike. Warm-up iterations take part, so the measured ones start at a pair
 * boundary as long as the warm-up count is even.
 */
final class Alternation {
    private Alternation() {
    }

    static boolean isA(int iteration) {
        int pair = iteration / 2;
        boolean first = iteration % 2 == 0;
        return (pair % 2 == 0) == first;
    }
}
