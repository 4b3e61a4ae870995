package io.ivsstageevents.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written timestamp reading and writing gives exactly what the JDK's formatters give. */
class IsoTimestampsProperties {
    private static final DateTimeFormatter SORTABLE_BY_THE_JDK =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    @Property(tries = 3000, seed = "4711")
    void formatWritesWhatInstantToStringWrites(@ForAll("instants") Instant time) {
        assertThat(IsoTimestamps.format(time)).isEqualTo(time.toString());
    }

    @Property(tries = 3000, seed = "4711")
    void formatSortableWritesWhatTheJdkPatternWrites(@ForAll("instants") Instant time) {
        assertThat(IsoTimestamps.formatSortable(time)).isEqualTo(SORTABLE_BY_THE_JDK.format(time));
    }

    @Property(tries = 3000, seed = "4711")
    void whatIsWrittenIsReadBackInBothUtcSpellings(@ForAll("instants") Instant time) {
        String zulu = time.toString();

        assertThat(IsoTimestamps.parseUtc(zulu)).isEqualTo(time);
        assertThat(IsoTimestamps.parseUtc(zulu.replace("Z", "+00:00"))).isEqualTo(time);
    }

    /** Null hands the text to the JDK's parser; anything else must be what that parser would have read. */
    @Property(tries = 5000, seed = "4711")
    void readsNothingDifferentlyFromTheJdk(@ForAll("nearTimestamps") String text) {
        Instant fast = IsoTimestamps.parseUtc(text);
        if (fast != null) {
            assertThat(fast).isEqualTo(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        }
    }

    @Property(tries = 5000, seed = "4711")
    void acceptsNothingTheJdkRejects(@ForAll("nearTimestamps") String text) {
        boolean jdkAccepts;
        try {
            OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            jdkAccepts = true;
        } catch (DateTimeParseException e) {
            jdkAccepts = false;
        }
        if (!jdkAccepts) {
            assertThat(IsoTimestamps.parseUtc(text)).isNull();
        }
    }

    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(
                Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("9999-12-31T23:59:59Z").getEpochSecond())
                .edgeCases(edges -> edges.add(0L));
        Arbitrary<Integer> nanos = Arbitraries.oneOf(
                Arbitraries.just(0),
                Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(us -> us * 1_000),
                Arbitraries.integers().between(0, 999_999_999));
        return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
    }

    /** Valid timestamps with one character changed, dropped or added, or a fraction of another length. */
    @Provide
    Arbitrary<String> nearTimestamps() {
        Arbitrary<String> valid = instants().map(Instant::toString);
        Arbitrary<Character> characters = Arbitraries.of('0', '1', '2', '3', '5', '9', 'T', 't', 'Z', 'z', ':', '-',
                '+', '.', ' ', 'x');
        return Arbitraries.oneOf(
                valid,
                Combinators.combine(valid, Arbitraries.integers().between(0, 40), characters)
                        .as((text, at, c) -> {
                            int i = Math.min(at, text.length() - 1);
                            return text.substring(0, i) + c + text.substring(i + 1);
                        }),
                Combinators.combine(valid, Arbitraries.integers().between(0, 40))
                        .as((text, at) -> {
                            int i = Math.min(at, text.length() - 1);
                            return text.substring(0, i) + text.substring(i + 1);
                        }),
                Combinators.combine(valid, Arbitraries.integers().between(0, 40), characters)
                        .as((text, at, c) -> {
                            int i = Math.min(at, text.length());
                            return text.substring(0, i) + c + text.substring(i);
                        }),
                Combinators.combine(valid, Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(11))
                        .as((text, fraction) -> text.replaceFirst("(\\.\\d+)?Z$", "." + fraction + "Z")));
    }
}
