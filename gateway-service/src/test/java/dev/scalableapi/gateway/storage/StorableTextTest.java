package dev.scalableapi.gateway.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link StorableText#of}: what PostgreSQL cannot store is replaced, and values fit their column in bytes. */
class StorableTextTest {

    /** The request log's path column. */
    private static final int PATH_MAX = 2048;

    @Test
    void plainValuesThatFitAreKeptAsTheyAre() {
        String path = "/api/v1/resources/42";
        assertThat(StorableText.of(path, PATH_MAX), sameInstance(path));
        assertThat(StorableText.of(null, 10), nullValue());
    }

    @Test
    void nulBecomesTheReplacementCharacter() {
        assertThat(StorableText.of("/a\0b\0", 100), equalTo("/a\uFFFDb\uFFFD"));
    }

    @Test
    void loneSurrogatesBecomeTheReplacementCharacterAndPairsSurvive() {
        // UTF-8 cannot encode a lone surrogate: the driver would write '?' without a word.
        assertThat(StorableText.of("a\uD800b\uDC00c\uD83D\uDE00", 100), equalTo("a\uFFFDb\uFFFDc\uD83D\uDE00"));
        assertThat(StorableText.of("end\uD83D", 100), equalTo("end\uFFFD"));
    }

    @Test
    void valuesAreCutToTheColumnSizeInUtf8Bytes() {
        assertThat(StorableText.of("abcdef", 4), equalTo("abcd"));
        String letters = "é".repeat(PATH_MAX);
        String cut = StorableText.of(letters, PATH_MAX);
        assertThat(cut, equalTo("é".repeat(PATH_MAX / 2)));
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length, equalTo(PATH_MAX));
        // A NUL counts as the 3 bytes of its replacement.
        assertThat(StorableText.of("ab\0cd", 5), equalTo("ab\uFFFD"));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        assertThat(StorableText.of("ab" + emoji, 5), equalTo("ab"));
        assertThat(StorableText.of("a" + emoji, 5), equalTo("a" + emoji));
    }
}
