package dev.scalableapi.systemtests.fuzz;

/**
 * Text that must be stored and returned unchanged: injection strings, any valid Unicode (control characters,
 * direction marks, astral code points, noncharacters), up to the description's 2,000 UTF-16 units. Lone surrogates
 * (UTF-8 cannot carry them) and NUL (PostgreSQL cannot store it) stay out: the API refuses both with 422, which the
 * malformed-request families check.
 */
final class StoredTexts {

    private static final int DESCRIPTION_LIMIT = 2_000;
    private static final int NAME_LIMIT = 200;

    private StoredTexts() {
    }

    static String generate(Gen g) {
        String text = switch (g.uniform(0, 5)) {
            case 0 -> g.pick(MalformedRequests.INJECTIONS);
            case 1 -> g.inRanges(1, 300, '\u0001', '\uD7FF', '\uE000', '\uFFFD');
            case 2 -> g.pick(MalformedRequests.INJECTIONS) + g.alphanumeric(g.uniform(0, 20));
            case 3 -> marked(g);
            case 4 -> astral(g);
            default -> g.inRanges(1_900, DESCRIPTION_LIMIT, ' ', '~', '\u0001', '\u001F', '\u00A0', '\u07FF');
        };
        return cut(text, DESCRIPTION_LIMIT);
    }

    /** The name stored beside {@code text}: never blank, at most 200 units, cut between code points. */
    static String nameFor(String text) {
        return cut("n" + text, NAME_LIMIT);
    }

    /** Control characters, direction and invisible marks between letters. */
    private static String marked(Gen g) {
        StringBuilder text = new StringBuilder();
        int parts = g.between(1, 60);
        for (int i = 0; i < parts; i++) {
            text.append(g.bool() ? g.pick(MalformedRequests.BIDI_MARKS) : g.inRanges(1, 1, '\u0001', '\u001F'))
                    .append(g.from("abc", 0, 3));
        }
        return text.toString();
    }

    /** Astral code points (as surrogate pairs), combining sequences, noncharacters. */
    private static String astral(Gen g) {
        StringBuilder text = new StringBuilder();
        int parts = g.between(1, 200);
        for (int i = 0; i < parts; i++) {
            text.append(g.bool() ? g.pick(MalformedRequests.ODD_TEXT)
                    : Character.toString(g.uniform(0x10000, Character.MAX_CODE_POINT)));
        }
        return text.toString();
    }

    /** At most {@code limit} UTF-16 units, never splitting a surrogate pair. */
    private static String cut(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
        return text.substring(0, end);
    }
}
