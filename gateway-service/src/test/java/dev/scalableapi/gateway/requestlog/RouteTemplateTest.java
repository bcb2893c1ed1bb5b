package dev.scalableapi.gateway.requestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Ids in paths collapse to {id} so routes stay few; words, the query and overlong tails do not survive. */
class RouteTemplateTest {

    @Test
    void numericUuidAndLongHexSegmentsBecomeId() {
        assertEquals("/api/v1/resources/{id}", RouteTemplate.of("/api/v1/resources/42?x=1"));
        assertEquals("/api/v1/users/{id}/keys/{id}",
                RouteTemplate.of("/api/v1/users/7/keys/3F2504E0-4F89-11D3-9A0C-0305E82C3301"));
        assertEquals("/objects/{id}", RouteTemplate.of("/objects/507f1f77bcf86cd799439011"));
    }

    @Test
    void wordsTrailingSlashesAndRootAreKept() {
        assertEquals("/api/v1/resources/", RouteTemplate.of("/api/v1/resources/"));
        assertEquals("/api/v1/deadbeefdeadbeefcafe", RouteTemplate.of("/api/v1/deadbeefdeadbeefcafe"));
        assertEquals("/api/v2abc/status", RouteTemplate.of("/api/v2abc/status"));
        assertEquals("/", RouteTemplate.of("/"));
        assertEquals("/", RouteTemplate.of(null));
    }

    /** The definition the hand-written scan replaced, as regular expressions: the oracle for random segments. */
    @Test
    void idsAreWhatTheRegularExpressionsSaid() {
        Pattern definition = Pattern.compile("\\d+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                + "[0-9a-fA-F]{12}|(?=[^/]*\\d)[0-9a-fA-F]{16,}");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String alphabet = "0123456789abcdefABCDEF-xyz_.";
        for (int i = 0; i < 100_000; i++) {
            StringBuilder segment = new StringBuilder();
            int length = random.nextInt(4) == 0 ? 36 : random.nextInt(40);
            for (int c = 0; c < length; c++) {
                segment.append(random.nextInt(10) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                        : alphabet.charAt(random.nextInt(16)));
            }
            if (length == 36 && random.nextBoolean()) {
                for (int dash : new int[] {8, 13, 18, 23}) {
                    segment.setCharAt(dash, '-');
                }
            }
            String text = segment.toString();
            assertEquals(!text.isEmpty() && definition.matcher(text).matches(), RouteTemplate.isId(text),
                    "segment '" + text + "' (seed " + seed + ")");
        }
    }

    @Test
    void longRoutesAreCutToTheColumn() {
        assertEquals(200, RouteTemplate.of("/" + "a".repeat(5000)).length());
    }
}
