package io.ivsstageevents.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ivsstageevents.model.EventSource;
import io.ivsstageevents.model.ExchangedParticipantToken;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every member of {@link EventSource} and of its tokens, found by reflection over the model's fields, is handled
 * where the ledger must handle it: kept by the attribute map ({@link EventSourceValue}) and by the merge of two
 * forms ({@link EventForms}). A member added to the model and to nothing else fails here, where it would otherwise
 * be silently dropped by every merge.
 */
class EveryEventSourceMemberTest {
    private static final Instant TIME = Instant.parse("2026-03-14T18:06:12.482Z");

    @Test
    void anEventSourceWithEveryMemberSurvivesTheAttributeMap() {
        EventSource full = full(EventSource.class);

        assertThat(EventSourceValue.fromValue(EventSourceValue.toValue(full))).isEqualTo(full);
    }

    @Test
    void aFormLackingOnlyOneMemberMergedWithOneThatHasItEndsWithItInEitherOrder() {
        EventSource full = full(EventSource.class);
        for (String member : members(EventSource.class)) {
            EventSource lacking = (EventSource) without(full, member);

            assertThat(EventForms.sameEvent(lacking, full)).as(member).isTrue();
            assertThat(EventForms.merged(lacking, full)).as("lacking %s first", member).isEqualTo(full);
            assertThat(EventForms.merged(full, lacking)).as("lacking %s second", member).isEqualTo(full);
        }
    }

    @Test
    void aTokenLackingOnlyOneMemberMergedWithOneThatHasItEndsWithItInEitherOrder() {
        EventSource full = full(EventSource.class);
        for (String member : members(ExchangedParticipantToken.class)) {
            EventSource lacking = full.toBuilder()
                    .newToken((ExchangedParticipantToken) without(full.newToken(), member)).build();

            assertThat(EventForms.sameEvent(lacking, full)).as(member).isTrue();
            assertThat(EventForms.merged(lacking, full)).as("lacking %s first", member).isEqualTo(full);
            assertThat(EventForms.merged(full, lacking)).as("lacking %s second", member).isEqualTo(full);
        }
    }

    /** The model's members: its instance fields. */
    private static List<String> members(Class<?> model) {
        List<String> members = new ArrayList<>();
        for (Field field : model.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                members.add(field.getName());
            }
        }
        return members;
    }

    /** A model value with every member set, through its builder. */
    private static <T> T full(Class<T> model) {
        Object builder = invoke(model, "builder");
        for (String member : members(model)) {
            Method setter = setter(builder.getClass(), member);
            invoke(builder, setter, valueOf(member, setter.getParameterTypes()[0]));
        }
        return model.cast(invoke(builder, "build"));
    }

    /** The value with one member absent, through its builder. */
    private static Object without(Object value, String member) {
        Object builder = invoke(value, "toBuilder");
        invoke(builder, setter(builder.getClass(), member), (Object) null);
        return invoke(builder, "build");
    }

    /** The builder's method that sets the member from a value of a type {@link #valueOf} can make. */
    private static Method setter(Class<?> builder, String member) {
        for (Method method : builder.getMethods()) {
            if ((method.getName().equals(member) || method.getName().equals(member + "WithStrings"))
                    && method.getParameterCount() == 1 && valueOf(member, method.getParameterTypes()[0]) != null) {
                return method;
            }
        }
        return fail("no builder method sets the member %s from a value this test can make: teach valueOf its type",
                member);
    }

    private static Object valueOf(String member, Class<?> type) {
        if (type == String.class) {
            return member.equals("name") ? "TOKEN_EXCHANGED" : member + "-value";
        } else if (type == Instant.class) {
            return TIME;
        } else if (type == Boolean.class) {
            return Boolean.TRUE;
        } else if (type == List.class) {
            return List.of("PUBLISH", "SUBSCRIBE");
        } else if (type == Map.class) {
            return Map.of("role", "host");
        } else if (type == ExchangedParticipantToken.class) {
            return full(ExchangedParticipantToken.class);
        }
        return null;
    }

    private static Object invoke(Object target, Method method, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError("calling " + method + " failed", e);
        }
    }

    private static Object invoke(Object target, String name) {
        try {
            Class<?> type = target instanceof Class<?> model ? model : target.getClass();
            return invoke(target instanceof Class<?> ? null : target, type.getMethod(name));
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
