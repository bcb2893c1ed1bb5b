package dev.scalableapi.gateway.storage;

/**
 * Text as PostgreSQL can store it, for values a client chose (paths, emails): see {@link #of}. Values are made
 * storable when a row is built, so one bad value never sinks a multi-row batch.
 */
public final class StorableText {

    private static final char REPLACEMENT = '\uFFFD';

    /**
     * Makes a value storable in a column of {@code max} characters. A NUL, which PostgreSQL's text types refuse
     * (and with it the whole batch), and a lone surrogate, which UTF-8 cannot encode (the driver would silently
     * write '?'), become U+FFFD. The value is cut to {@code max} UTF-8 bytes, never inside a surrogate pair: bytes,
     * not characters, because a 2 048-character path of non-ASCII letters is too large for a btree index entry
     * (2 704 bytes) and PostgreSQL would refuse the row; for ASCII the two are the same.
     */
    public static String of(String value, int max) {
        if (value == null) {
            return null;
        }
        int length = value.length();
        int bytes = 0;
        int end = 0;
        boolean clean = true;
        while (end < length) {
            char c = value.charAt(end);
            int chars = 1;
            int size;
            if (c == 0) {
                clean = false;
                size = 3;
            } else if (c < 0x80) {
                size = 1;
            } else if (c < 0x800) {
                size = 2;
            } else if (Character.isHighSurrogate(c) && end + 1 < length
                    && Character.isLowSurrogate(value.charAt(end + 1))) {
                chars = 2;
                size = 4;
            } else {
                clean &= !Character.isSurrogate(c);
                size = 3;
            }
            if (bytes + size > max) {
                break;
            }
            bytes += size;
            end += chars;
        }
        String cut = end == length ? value : value.substring(0, end);
        return clean ? cut : replaceUnstorable(cut);
    }

    private static String replaceUnstorable(String value) {
        StringBuilder clean = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                clean.append(c).append(value.charAt(++i));
            } else {
                clean.append(c == 0 || Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return clean.toString();
    }

    private StorableText() {
    }
}
