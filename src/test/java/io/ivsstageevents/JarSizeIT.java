package io.ivsstageevents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The deployment jar's size budget. Size is deterministic, so unlike speed it can be a test; speed is
 * measured by bench/run and reported in docs/PERFORMANCE.md. sam build ships this very jar, unpacked (Makefile), and
 * LambdaRuntimeConformance checks the artifact against it byte for byte, so this is the deployed code's size.
 */
class JarSizeIT {
    /** 11 MB read as 11,000,000 bytes: the stricter reading of the budget (11 MiB would allow 534,336 more). */
    static final long BUDGET_BYTES = 11_000_000L;

    @Test
    void theDeploymentJarIsWithinItsBudget() throws IOException {
        String property = System.getProperty("lambda.jar");
        assertThat(property).as("system property lambda.jar (failsafe sets it to the shaded jar)").isNotBlank();
        Path jar = Path.of(property);
        long size = Files.size(jar);
        System.out.printf("deployment jar %s: %d bytes = %.2f MB (budget %d bytes)%n",
                jar.getFileName(), size, size / 1_000_000.0, BUDGET_BYTES);
        assertThat(size)
                .as("%s is %d bytes; the budget is %d (see docs/PERFORMANCE.md for what the jar holds)",
                        jar, size, BUDGET_BYTES)
                .isLessThanOrEqualTo(BUDGET_BYTES);
    }
}
