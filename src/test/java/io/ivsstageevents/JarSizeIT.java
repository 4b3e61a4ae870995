package io.ivsstageevents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The deployment jar's size budget (issue 6). Size is deterministic, so unlike speed it can be a test; speed is
 * measured by bench/run and reported in docs/PERFORMANCE.md.
 */
class JarSizeIT {
    /** 11 MB, where MB means 1024 × 1024 bytes (MiB): the stricter reading of the budget. */
    static final long BUDGET_BYTES = 11L * 1024 * 1024;

    @Test
    void theDeploymentJarIsWithinItsBudget() throws IOException {
        String property = System.getProperty("lambda.jar");
        assertThat(property).as("system property lambda.jar (failsafe sets it to the shaded jar)").isNotBlank();
        Path jar = Path.of(property);
        long size = Files.size(jar);
        System.out.printf("deployment jar %s: %d bytes = %.2f MiB (budget %d bytes = 11 MiB)%n",
                jar.getFileName(), size, size / (1024.0 * 1024.0), BUDGET_BYTES);
        assertThat(size)
                .as("%s is %d bytes; the budget is %d (see docs/PERFORMANCE.md for what the jar holds)",
                        jar, size, BUDGET_BYTES)
                .isLessThanOrEqualTo(BUDGET_BYTES);
    }
}
