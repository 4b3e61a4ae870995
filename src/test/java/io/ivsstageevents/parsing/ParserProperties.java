package io.ivsstageevents.parsing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.model.ParsedEvent;
import io.ivsstageevents.testing.SampleEvents;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever arrives, the parser answers with a parsed event, a not-ours classification, or its own
 * InvalidEventException naming a field: never a NullPointerException or a raw Jackson exception.
 */
class ParserProperties {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> KEYS = List.of("source", "detail-type", "detail", "resources", "time", "id",
            "session_id", "event_name", "name", "participant_id", "event_time", "replica", "error_code",
            "destination_stage_arn", "new_token", "previous_token", "capabilities", "attributes", "user_id",
            "expiration_time", "participantId", "newToken");

    private final StageEventParser parser = new StageEventParser();

    @Property(tries = 3000, seed = "4711")
    void anyBytesGiveOneOfTheThreeOutcomes(@ForAll byte[] bytes) {
        assertOneOfTheThreeOutcomes(bytes);
    }

    @Property(tries = 3000, seed = "4711")
    void anyJsonGivesOneOfTheThreeOutcomes(@ForAll("json") JsonNode json) {
        assertOneOfTheThreeOutcomes(SampleEvents.bytes(json));
    }

    @Property(tries = 3000, seed = "4711")
    void anyDetailInAnIvsEnvelopeGivesOneOfTheThreeOutcomes(@ForAll("json") JsonNode detail,
                                                            @ForAll("sampleNames") String sample) {
        ObjectNode event = SampleEvents.json(sample);
        event.set("detail", detail);
        assertOneOfTheThreeOutcomes(SampleEvents.bytes(event));
    }

    @Property(tries = 3000, seed = "4711")
    void anySampleWithOneMemberReplacedGivesOneOfTheThreeOutcomes(@ForAll("sampleNames") String sample,
                                                                  @ForAll("keys") String key,
                                                                  @ForAll("json") JsonNode value) {
        ObjectNode event = SampleEvents.json(sample);
        ObjectNode target = event.get("detail") instanceof ObjectNode detail && !key.contains("-") ? detail : event;
        target.set(key, value);
        assertOneOfTheThreeOutcomes(SampleEvents.bytes(event));
    }

    private void assertOneOfTheThreeOutcomes(byte[] bytes) {
        try {
            ParsedEvent parsed = parser.parse(bytes);
            assertThat(parsed).isNotNull();
        } catch (InvalidEventException e) {
            assertThat(e.getMessage()).startsWith(e.field() + ": ");
        }
    }

    @Provide
    Arbitrary<String> sampleNames() {
        return Arbitraries.of(SampleEvents.allNames());
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(KEYS);
    }

    /** Arbitrary JSON, biased towards the keys and shapes of real events. */
    @Provide
    Arbitrary<JsonNode> json() {
        return Arbitraries.lazyOf(
                () -> Arbitraries.just(NODES.nullNode()),
                () -> Arbitraries.of(true, false).map(NODES::booleanNode),
                () -> Arbitraries.integers().map(NODES::numberNode),
                () -> Arbitraries.doubles().map(NODES::numberNode),
                () -> Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                                Arbitraries.of("aws.ivs", "IVS Stage Update", "TOKEN_EXCHANGED", "Participant Published",
                                        "2026-03-14T18:02:10Z", "arn:aws:ivs:us-west-2:1:stage/a"))
                        .map(NODES::textNode),
                () -> json().list().ofMaxSize(4).map(values -> {
                    var array = NODES.arrayNode();
                    values.forEach(array::add);
                    return (JsonNode) array;
                }),
                () -> Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(KEYS), Arbitraries.strings().ofMaxLength(8)),
                        json()).ofMaxSize(5).map(ParserProperties::object));
    }

    private static JsonNode object(Map<String, JsonNode> members) {
        ObjectNode object = NODES.objectNode();
        members.forEach(object::set);
        return object;
    }
}
