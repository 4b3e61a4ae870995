package io.ivsstageevents.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Counting UTF-8 bytes gives what encoding would, lone surrogates included. */
class Utf8Properties {

    @Property(tries = 3000, seed = "4711")
    void theLengthIsTheLengthOfTheEncodedBytes(@ForAll("anyText") String text) {
        assertThat(Utf8.length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Every range of char: ASCII, two and three bytes, and surrogates that pair up or stand alone. */
    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings()
                .withCharRange('\u0000', '\u007f')
                .withCharRange('\u0080', '\u07ff')
                .withCharRange('\u0800', '\ud7ff')
                .withCharRange('\ud800', '\udfff')
                .withCharRange('\ue000', '\uffff')
                .ofMaxLength(40);
    }
}
