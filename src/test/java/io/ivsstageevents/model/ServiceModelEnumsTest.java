package io.ivsstageevents.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The enums against the IVS Real-Time service model, so that a model update shows up as a failing test. The
 * project keeps a copy of the model subset; where the shared reference is beside the checkout (as in CI), the
 * copy must equal it.
 */
class ServiceModelEnumsTest {
    private static final Path SHARED_MODEL = Path.of("../shared/reference/ivs-realtime-event-model.json");
    private static final Path PROJECT_MODEL = Path.of("src/test/resources/ivs-realtime-event-model.json");

    @Test
    void everyEventNameOfTheModelIsKnown() throws IOException {
        assertKnown("EventName", EventName.knownValues(), EventName::fromValue);
    }

    @Test
    void everyErrorCodeOfTheModelIsKnown() throws IOException {
        assertKnown("EventErrorCode", EventErrorCode.knownValues(), EventErrorCode::fromValue);
    }

    @Test
    void everyCapabilityOfTheModelIsKnown() throws IOException {
        assertKnown("ParticipantTokenCapability", ParticipantTokenCapability.knownValues(),
                ParticipantTokenCapability::fromValue);
    }

    @Test
    void theProjectsCopyOfTheModelEqualsTheSharedReference() throws IOException {
        if (Files.exists(SHARED_MODEL)) {
            assertThat(Files.readString(PROJECT_MODEL)).isEqualTo(Files.readString(SHARED_MODEL));
        }
    }

    private static <E extends Enum<E>> void assertKnown(String shape, Set<E> known, Function<String, E> fromValue)
            throws IOException {
        List<String> modelValues = enumValues(shape);
        assertThat(modelValues).isNotEmpty();
        for (String value : modelValues) {
            assertThat(fromValue.apply(value)).as(shape + " " + value).isNotNull()
                    .extracting(Object::toString).isEqualTo(value);
        }
        assertThat(known.stream().map(Object::toString).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(modelValues);
    }

    private static List<String> enumValues(String shape) throws IOException {
        Path model = Files.exists(SHARED_MODEL) ? SHARED_MODEL : PROJECT_MODEL;
        JsonNode values = new ObjectMapper().readTree(model.toFile()).path("shapes").path(shape).path("enum");
        List<String> result = new ArrayList<>();
        values.forEach(value -> result.add(value.asText()));
        return result;
    }
}
