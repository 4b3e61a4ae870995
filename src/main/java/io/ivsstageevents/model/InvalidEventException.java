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

    /** The JSON path of the offending member, for example {@code detail.replica}. */
    public String field() {
        return field;
    }
}
