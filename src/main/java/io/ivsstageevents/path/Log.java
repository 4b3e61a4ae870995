package io.ivsstageevents.path;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * One line per message, {@code LEVEL message key=value ...}, so that CloudWatch Logs Insights can parse it. Only
 * ids and enum values are ever passed as fields: never token attributes or user ids.
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    static final int MAX_VALUE_LENGTH = 256;

    private final Level threshold;
    private final PrintStream out;

    public Log(Level threshold, PrintStream out) {
        this.threshold = threshold;
        this.out = out;
    }

    /** Writes nothing: for SnapStart priming, whose rehearsed events must not look like real ones in the log. */
    static Log silent() {
        return new Log(Level.ERROR, new PrintStream(OutputStream.nullOutputStream()));
    }

    public void debug(String message, Object... keyValues) {
        write(Level.DEBUG, message, keyValues);
    }

    public void info(String message, Object... keyValues) {
        write(Level.INFO, message, keyValues);
    }

    public void warn(String message, Object... keyValues) {
        write(Level.WARN, message, keyValues);
    }

    public void error(String message, Object... keyValues) {
        write(Level.ERROR, message, keyValues);
    }

    private void write(Level level, String message, Object... keyValues) {
        if (level.compareTo(threshold) < 0) {
            return;
        }
        StringBuilder line = new StringBuilder(128).append(level).append(' ').append(message);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                line.append(' ').append(keyValues[i]).append('=').append(oneLine(keyValues[i + 1]));
            }
        }
        out.println(line);
    }

    /**
     * Values come from events, so they may be anything: a line break would split the log line, and an absurd
     * value (AWS's next error code, or garbage) must not flood the log.
     */
    private static String oneLine(Object value) {
        String text = String.valueOf(value);
        if (text.length() > MAX_VALUE_LENGTH) {
            text = text.substring(0, MAX_VALUE_LENGTH) + "...(" + text.length() + " chars)";
        }
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text : text.replace('\n', ' ').replace('\r', ' ');
    }
}
