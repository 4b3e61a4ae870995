package io.ivsstageevents.json;

/** Sizes of text as UTF-8, counted without encoding it: limits are checked on every attribute of every event. */
public final class Utf8 {
    private Utf8() {
    }

    /** What {@code text.getBytes(UTF_8).length} would be; a lone surrogate counts as the one byte '?' it becomes. */
    public static int length(String text) {
        int length = text.length();
        int i = 0;
        // Nearly all of it is ASCII (keys, ARNs, tokens): a loop with one comparison per char, which the JIT keeps
        // tight, up to the first char that is not. Char by char, this and isEncodable took an eighth of the path
        // without I/O.
        while (i < length && text.charAt(i) < 0x80) {
            i++;
        }
        int bytes = i;
        for (; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Whether the text can be encoded as UTF-8: a lone UTF-16 surrogate cannot. Valid UTF-8 bytes never decode to
     * one, but an escaped surrogate in JSON text does; written back, it would become {@code ?}.
     */
    public static boolean isEncodable(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else {
                return false;
            }
        }
        return true;
    }
}
