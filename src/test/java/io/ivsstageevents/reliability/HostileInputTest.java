package io.ivsstageevents.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivsstageevents.reliability.HostileCorpus.Case;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Input that is not a good stage event, through the whole handler: each case is either rejected with a clear error
 * (so that Lambda keeps it, with the reason, in the failure queue) or skipped as not ours, and writes nothing.
 */
class HostileInputTest {
    private static final Path CORPUS = Path.of("src/test/resources/hostile");
    private static final long LARGEST_FILE = 100 * 1024;

    @Test
    void theCorpusIndexesEveryFileItHoldsAndHoldsAtLeast25SmallCases() throws IOException {
        List<String> indexed = HostileCorpus.files().stream().map(Case::name).sorted().toList();
        try (Stream<Path> files = Files.list(CORPUS)) {
            List<Path> onDisk = files.filter(path -> !path.getFileName().toString().equals("cases.tsv")).toList();
            assertThat(onDisk.stream().map(path -> path.getFileName().toString()).sorted().toList())
                    .isEqualTo(indexed);
            assertThat(onDisk).allSatisfy(path -> assertThat(Files.size(path)).isLessThanOrEqualTo(LARGEST_FILE));
        }
        assertThat(HostileCorpus.all()).hasSizeGreaterThanOrEqualTo(25);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseIsRejectedAsInvalidOrSkippedAsNotOursAndWritesNothing() {
        return HostileCorpus.all().stream().map(c -> DynamicTest.dynamicTest(
                c.toString(), () -> IsolatedInvocation.of(c.bytes().get()).assertClassifiedAs(c.expected(), c.name())));
    }

    @Test
    void anEventTimeBeyondTheRangeOfInstantsIsRejectedAsInvalid() {
        assertClassified("event-time-beyond-instant-range.json");
    }

    @Test
    void aTokenAttributeWithAnEmptyNameIsRejectedAsInvalid() {
        assertClassified("attribute-empty-name.json");
    }

    @Test
    void tokenAttributesFarOverTheOneKilobyteIvsAllowsAreRejectedAsInvalid() {
        assertClassified("generated: 64 KB of token attributes");
    }

    private static void assertClassified(String name) {
        Case hostile = HostileCorpus.named(name);
        IsolatedInvocation.of(hostile.bytes().get()).assertClassifiedAs(hostile.expected(), hostile.name());
    }
}
