package io.ivsstageevents.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A CPU share for a subject process, as Lambda limits a function's: a cgroup whose CFS quota is the share of a
 * 100 ms period. cgroup v2 ({@code cpu.max}) where the unified hierarchy has the cpu controller, else v1
 * ({@code cpu.cfs_quota_us}). Null where neither can be made (not root, no cpu controller): the caller says so.
 */
final class CpuShare {
    private static final int PERIOD_MICROS = 100_000;
    private static final Path V2 = Path.of("/sys/fs/cgroup");
    private static final Path V1 = Path.of("/sys/fs/cgroup/cpu");

    private CpuShare() {
    }

    static Path create(String name, double cpus) {
        long quota = Math.round(cpus * PERIOD_MICROS);
        try {
            if (Files.isRegularFile(V2.resolve("cgroup.controllers"))
                    && Files.readString(V2.resolve("cgroup.controllers")).contains("cpu")) {
                Path group = Files.createDirectories(V2.resolve(name));
                Files.writeString(group.resolve("cpu.max"), quota + " " + PERIOD_MICROS);
                return group;
            }
            if (Files.isRegularFile(V1.resolve("cpu.cfs_quota_us"))) {
                Path group = Files.createDirectories(V1.resolve(name));
                Files.writeString(group.resolve("cpu.cfs_period_us"), Integer.toString(PERIOD_MICROS));
                Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quota));
                return group;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The command prefix that starts a process in the group (nothing when there is none). */
    static List<String> wrap(Path group) {
        if (group == null) {
            return List.of();
        }
        return List.of("/bin/sh", "-c", "echo $$ > " + group.resolve("cgroup.procs") + " && exec \"$@\"", "sh");
    }

    static void remove(Path group) {
        if (group != null) {
            try {
                Files.deleteIfExists(group);
            } catch (IOException ignored) {
                // a process may still be in it; the kernel keeps an empty group harmlessly
            }
        }
    }
}
