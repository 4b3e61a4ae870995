package io.ivsstageevents.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the benchmark's entry points share: how bench/run passes them options, and the clock exec is timed on. */
final class BenchMain {
    private BenchMain() {
    }

    /** {@code --name value} pairs, as bench/run passes them, by name without the dashes. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    /** Wall-clock microseconds: a subject stamps its checkpoints on the same clock, in its own JVM. */
    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
