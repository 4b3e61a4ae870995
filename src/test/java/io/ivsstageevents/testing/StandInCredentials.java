package io.ivsstageevents.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Throwaway credentials where the production client's default chain finds them first (system properties), standing
 * in for the ones Lambda provides; closing puts back whatever the properties held before.
 */
public final class StandInCredentials implements AutoCloseable {
    private static final List<String> PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey");

    private final Map<String, String> saved = new HashMap<>();

    private StandInCredentials() {
        for (String name : PROPERTIES) {
            saved.put(name, System.getProperty(name));
            System.setProperty(name, "local");
        }
    }

    public static StandInCredentials set() {
        return new StandInCredentials();
    }

    @Override
    public void close() {
        saved.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }
}
