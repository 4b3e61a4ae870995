package io.ivsstageevents.metrics;

/** CloudWatch dimension values: 1 to 1024 printable ASCII characters. */
final class DimensionValues {
    /** Stands in for a value that breaks those rules; the original is kept as a property. */
    static final String INVALID = "INVALID_VALUE";
    /** Stands in for a value the event did not carry (an error event without a code, say). */
    static final String UNSPECIFIED = "UNSPECIFIED";
    static final int MAX_LENGTH = 1024;

    private DimensionValues() {
    }

    static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    static String of(String value) {
        if (value == null) {
            return UNSPECIFIED;
        }
        return isValid(value) ? value : INVALID;
    }
}
