package io.ivsstageevents.json;

import io.ivsstageevents.model.InvalidEventException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The timestamps of every event, read and written by hand in the forms AWS uses, because the JDK's formatters
 * were about a third of the warm path without I/O (docs/PERFORMANCE.md). Any other form goes to the JDK, so the results
 * are the JDK's in every case: tests compare the two.
 */
public final class IsoTimestamps {
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z, as numbers: parsing them would load the JDK's parser. */
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long LAST_SECOND = 253_402_300_799L;
    /** Nanoseconds per unit of the last digit of a fraction, by its number of digits. */
    private static final int[] FRACTION_SCALE =
            {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private IsoTimestamps() {
    }

    /**
     * {@code 2026-03-14T18:06:12.482Z} or {@code ...+00:00}, with 0 to 9 digits of fraction; null for any other
     * form, and for values that are no date or time, which the caller then hands to the JDK's parser.
     */
    static Instant parseUtc(String text) {
        int length = text.length();
        if (length < 20 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 2)
                || text.charAt(7) != '-' || !digits(text, 8, 2) || text.charAt(10) != 'T' || !digits(text, 11, 2)
                || text.charAt(13) != ':' || !digits(text, 14, 2) || text.charAt(16) != ':'
                || !digits(text, 17, 2)) {
            return null;
        }
        int end = 19;
        int nano = 0;
        if (text.charAt(end) == '.') {
            int start = end + 1;
            end = start;
            while (end < length && end - start < 10 && isDigit(text.charAt(end))) {
                end++;
            }
            int fractionDigits = end - start;
            if (fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            nano = number(text, start, fractionDigits) * FRACTION_SCALE[fractionDigits];
        }
        boolean utc = (length == end + 1 && text.charAt(end) == 'Z')
                || (length == end + 6 && text.startsWith("+00:00", end));
        if (!utc) {
            return null;
        }
        try {
            return LocalDateTime.of(number(text, 0, 4), number(text, 5, 2), number(text, 8, 2),
                    number(text, 11, 2), number(text, 14, 2), number(text, 17, 2), nano).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Exactly {@link Instant#toString()}: fractions in groups of three digits, as many as needed. */
    public static String format(Instant time) {
        if (!inFourDigitYears(time)) {
            return time.toString();
        }
        StringBuilder text = dateAndTime(time);
        int nano = time.getNano();
        if (nano % 1_000_000 == 0 && nano != 0) {
            pad(text.append('.'), nano / 1_000_000, 3);
        } else if (nano % 1_000 == 0 && nano != 0) {
            pad(text.append('.'), nano / 1_000, 6);
        } else if (nano != 0) {
            pad(text.append('.'), nano, 9);
        }
        return text.append('Z').toString();
    }

    /** Fixed width, nine digits of fraction, so that text order is time order: for sort keys. */
    public static String formatSortable(Instant time) {
        if (!inFourDigitYears(time)) {
            return OutsideFourDigitYears.SORTABLE.format(time);
        }
        StringBuilder text = dateAndTime(time);
        pad(text.append('.'), time.getNano(), 9);
        return text.append('Z').toString();
    }

    /**
     * The one check that a time lies in the years sort keys can hold (text order is time order only with four
     * digits of year), wherever a time is read, keyed or written: names the member, never the value.
     */
    public static Instant requireFourDigitYears(Instant time, String member) {
        if (!inFourDigitYears(time)) {
            throw new InvalidEventException(member, "a timestamp outside the years 0000 to 9999");
        }
        return time;
    }

    /** The years sort keys can hold: text order is time order only with four digits of year. */
    private static boolean inFourDigitYears(Instant time) {
        return time.getEpochSecond() >= FIRST_SECOND && time.getEpochSecond() <= LAST_SECOND;
    }

    /** Built on first use only: events are checked to lie in four-digit years before any time is formatted. */
    private static final class OutsideFourDigitYears {
        static final DateTimeFormatter SORTABLE =
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    }

    private static StringBuilder dateAndTime(Instant time) {
        long seconds = time.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        StringBuilder text = new StringBuilder(30);
        pad(text, date.getYear(), 4).append('-');
        pad(text, date.getMonthValue(), 2).append('-');
        pad(text, date.getDayOfMonth(), 2).append('T');
        pad(text, secondOfDay / 3600, 2).append(':');
        pad(text, secondOfDay / 60 % 60, 2).append(':');
        return pad(text, secondOfDay % 60, 2);
    }

    /** The value's last {@code width} digits, zeros in front; filled from the right, dividing by constants only. */
    private static StringBuilder pad(StringBuilder text, int value, int width) {
        int start = text.length();
        text.setLength(start + width);
        for (int i = start + width - 1; i >= start; i--) {
            text.setCharAt(i, (char) ('0' + value % 10));
            value /= 10;
        }
        return text;
    }

    private static boolean digits(String text, int start, int count) {
        for (int i = start; i < start + count; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
