package io.ivsstageevents.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivsstageevents.testing.SampleEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * User ids and token attributes may be personal data: the table keeps them, nothing else may. For every sample
 * and every hostile case, no log line, no error message (Lambda records it with the failed event, and it reaches
 * the function's log) and no metric document may hold any of them, attribute names included.
 */
class PrivacyTest {
    @TestFactory
    Stream<DynamicTest> noOutputOfASampleOrAHostileCaseHoldsItsUserIdsOrAttributes() {
        Stream<DynamicTest> samples = samples().stream().map(sample -> DynamicTest.dynamicTest(
                "sample " + sample, () -> assertNothingLeaks(sample, SampleEvents.bytes(sample))));
        Stream<DynamicTest> hostile = HostileCorpus.all().stream().map(c -> DynamicTest.dynamicTest(
                "hostile " + c.name(), () -> assertNothingLeaks(c.name(), c.bytes().get())));
        return Stream.concat(samples, hostile);
    }

    /** Without this, a finder that finds nothing would make every check above pass. */
    @Test
    void thePersonalDataInTheSamplesIsFound() {
        assertThat(PersonalData.in(SampleEvents.bytes("token-exchanged.json")))
                .contains("viewer-0815", "displayName", "Guest 0815", "co-host", "avatarUrl");
        assertThat(PersonalData.in(SampleEvents.bytes("token-exchanged-api-form.json"))).isNotEmpty();
        assertThat(PersonalData.in(SampleEvents.bytes("participant-published.json"))).contains("viewer-4711");
        assertThat(samples()).contains("sqs-batch.json");
        assertThat(HostileCorpus.all()).filteredOn(c -> !PersonalData.in(c.bytes().get()).isEmpty())
                .hasSizeGreaterThan(HostileCorpus.all().size() / 2);
    }

    private static void assertNothingLeaks(String name, byte[] input) {
        Set<String> personal = PersonalData.in(input);
        IsolatedInvocation invocation = IsolatedInvocation.of(input);
        List<String> outputs = new ArrayList<>(invocation.logLines());
        outputs.addAll(invocation.metricDocuments());
        for (Throwable t = invocation.thrown(); t != null; t = t.getCause()) {
            outputs.add(String.valueOf(t));
        }
        for (String output : outputs) {
            for (String value : personal) {
                assertThat(output).as("%s: output holds personal data '%s'", name, abbreviated(value))
                        .doesNotContain(value);
            }
        }
    }

    /** Every file in events/, the queue batch included. */
    private static List<String> samples() {
        try (Stream<Path> files = Files.list(SampleEvents.DIRECTORY)) {
            return files.map(path -> path.getFileName().toString()).filter(file -> file.endsWith(".json")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviated(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "... (" + value.length() + " chars)";
    }
}
