package io.ivsstageevents.model;

/**
 * An event this function cannot process. The message names the field and what was wrong with it, never the
 * field's value (values may be personal data). Thrown before anything is written.
 */
public final class InvalidEventException extends RuntimeException {
    private final String field;

    public InvalidEventException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /**
     * The one check that a value needed to record an event is there, wherever it is made (the parser, the table's
     * key rules): null, and an empty string, are missing.
     */
    public static <T> T requirePresent(T value, String field) {
        if (value == null || value instanceof String text && text.isEmpty()) {
            throw new InvalidEventException(field, "missing, and it is needed to record this event");
        }
        return value;
    }

    /** The JSON path of the offending member, for example {@code detail.replica}. */
    public String field() {
        return field;
    }
}
