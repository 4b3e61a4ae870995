package io.ivsstageevents.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The three enums keep the AWS SDK for Java v2's contract, so that code written against the SDK reads the same. */
class SdkEnumContractTest {

    static Stream<Arguments> enums() {
        return Stream.of(
                contract(EventName.class, EventName::fromValue, EventName.knownValues(),
                        EventName.UNKNOWN_TO_SDK_VERSION),
                contract(EventErrorCode.class, EventErrorCode::fromValue, EventErrorCode.knownValues(),
                        EventErrorCode.UNKNOWN_TO_SDK_VERSION),
                contract(ParticipantTokenCapability.class, ParticipantTokenCapability::fromValue,
                        ParticipantTokenCapability.knownValues(), ParticipantTokenCapability.UNKNOWN_TO_SDK_VERSION));
    }

    @ParameterizedTest
    @MethodSource("enums")
    <E extends Enum<E>> void toStringIsTheWireValueAndNeverNull(Class<E> type, Function<String, E> fromValue,
                                                                Set<E> known, E unknown) {
        for (E constant : type.getEnumConstants()) {
            assertThat(constant.toString()).isNotNull();
        }
        assertThat(unknown.toString()).isEqualTo("null");
    }

    @ParameterizedTest
    @MethodSource("enums")
    <E extends Enum<E>> void fromValueReadsBackEveryKnownValue(Class<E> type, Function<String, E> fromValue,
                                                              Set<E> known, E unknown) {
        for (E constant : known) {
            assertThat(fromValue.apply(constant.toString())).isSameAs(constant);
        }
    }

    @ParameterizedTest
    @MethodSource("enums")
    <E extends Enum<E>> void aNewValueIsUnknownAndNullIsNull(Class<E> type, Function<String, E> fromValue,
                                                            Set<E> known, E unknown) {
        assertThat(fromValue.apply("ADDED_BY_AWS_NEXT_YEAR")).isSameAs(unknown);
        assertThat(fromValue.apply(null)).isNull();
    }

    @ParameterizedTest
    @MethodSource("enums")
    <E extends Enum<E>> void knownValuesAreAllButUnknown(Class<E> type, Function<String, E> fromValue,
                                                        Set<E> known, E unknown) {
        assertThat(known).doesNotContain(unknown).hasSize(type.getEnumConstants().length - 1);
    }

    private static <E extends Enum<E>> Arguments contract(Class<E> type, Function<String, E> fromValue, Set<E> known,
                                                          E unknown) {
        return Arguments.of(type, fromValue, known, unknown);
    }
}
