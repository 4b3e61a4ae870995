package io.ivsstageevents.bench.coldstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The marks of one cold-start subject, as wall-clock microseconds, so that the driver can put them next to the
 * moment it started the process (exec to main is part of a cold start). Printed once, after the measured work, on
 * the one line the driver reads.
 *
 * <p>With {@code -Dbench.phaseMarkers=true} each mark also loads a marker class, so that a {@code -Xlog:class+load}
 * log can be cut into phases: the log is in load order, and a marker's line is where its phase ends.
 */
public final class Checkpoints {
    private static final boolean PHASE_MARKERS = Boolean.getBoolean("bench.phaseMarkers");

    private final long mainNanos = System.nanoTime();
    private final long mainMicros = epochMicros(Instant.now());
    private final StringBuilder line = new StringBuilder(256).append("BENCH main=").append(mainMicros);
    private int phase;

    public void mark(String name) {
        line.append(' ').append(name).append('=').append(mainMicros + (System.nanoTime() - mainNanos) / 1000);
        if (PHASE_MARKERS) {
            loadMarker(++phase);
        }
    }

    /** Ends the measurement: what follows (reading /proc, printing) is not timed. */
    public void report() {
        System.out.println(line.append(" hwmKiB=").append(peakRssKiB()));
        System.out.flush();
    }

    private static long epochMicros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }

    /** The fallback for peak RSS when /usr/bin/time is missing: the kernel's high-water mark so far. */
    private static long peakRssKiB() {
        try {
            for (String status : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (status.startsWith("VmHWM:")) {
                    return Long.parseLong(status.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static void loadMarker(int phase) {
        try {
            Class.forName(Checkpoints.class.getName() + "$Phase" + phase);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no marker class for phase " + phase, e);
        }
    }

    // Loaded by name only (see loadMarker): one per phase a subject can have.
    static final class Phase1 { }
    static final class Phase2 { }
    static final class Phase3 { }
    static final class Phase4 { }
    static final class Phase5 { }
    static final class Phase6 { }
    static final class Phase7 { }
    static final class Phase8 { }
}
