package io.ivsstageevents.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ./invoke-local shows the answer and nothing else: DynamoDB Local's configuration, which it prints as it starts,
 * only with --verbose. (The script keeps Maven's output out of the way itself.)
 */
class InvokeLocalOutputTest {
    private static final String BANNER = "Initializing DynamoDB Local";

    @Test
    void theAnswerIsAllThatIsShown() throws IOException {
        Run run = run("events/token-exchanged.json");

        assertThat(run.answer()).startsWith("== Invocations").contains("INFO recorded");
        assertThat(run.elsewhere()).doesNotContain(BANNER);
    }

    @Test
    void verboseAlsoShowsDynamoDbLocalsConfiguration() throws IOException {
        assertThat(run("--verbose", "events/token-exchanged.json").elsewhere()).contains(BANNER);
    }

    /** The runner in process, with what it writes to the JVM's stdout and stderr caught beside its answer. */
    private static Run run(String... arguments) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        ByteArrayOutputStream elsewhere = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream caught = new PrintStream(elsewhere, true, StandardCharsets.UTF_8);
        System.setOut(caught);
        System.setErr(caught);
        try {
            int status = InvokeLocal.run(arguments, Map.of(), new PrintStream(answer, true, StandardCharsets.UTF_8));
            assertThat(status).isZero();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(answer.toString(StandardCharsets.UTF_8), elsewhere.toString(StandardCharsets.UTF_8));
    }

    private record Run(String answer, String elsewhere) {
    }
}
