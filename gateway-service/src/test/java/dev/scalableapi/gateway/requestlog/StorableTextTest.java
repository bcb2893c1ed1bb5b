package dev.scalableapi.gateway.requestlog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link RequestLogRecord#text}: what PostgreSQL cannot store is replaced, and values fit their column in bytes. */
class StorableTextTest {

    @Test
    void plainValuesThatFitAreKeptAsTheyAre() {
        String path = "/api/v1/resources/42";
        assertThat(RequestLogRecord.text(path, RequestLogRecord.PATH_MAX), sameInstance(path));
        assertThat(RequestLogRecord.text(null, 10), nullValue());
    }

    @Test
    void nulBecomesTheReplacementCharacter() {
        assertThat(RequestLogRecord.text("/a\0b\0", 100), equalTo("/a\uFFFDb\uFFFD"));
    }

    @Test
    void loneSurrogatesBecomeTheReplacementCharacterAndPairsSurvive() {
        // UTF-8 cannot encode a lone surrogate: the driver would write '?' without a word.
        assertThat(RequestLogRecord.text("a\uD800b\uDC00c\uD83D\uDE00", 100), equalTo("a\uFFFDb\uFFFDc\uD83D\uDE00"));
        assertThat(RequestLogRecord.text("end\uD83D", 100), equalTo("end\uFFFD"));
    }

    @Test
    void valuesAreCutToTheColumnSizeInUtf8Bytes() {
        assertThat(RequestLogRecord.text("abcdef", 4), equalTo("abcd"));
        String letters = "é".repeat(RequestLogRecord.PATH_MAX);
        String cut = RequestLogRecord.text(letters, RequestLogRecord.PATH_MAX);
        assertThat(cut, equalTo("é".repeat(RequestLogRecord.PATH_MAX / 2)));
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length, equalTo(RequestLogRecord.PATH_MAX));
        // A NUL counts as the 3 bytes of its replacement.
        assertThat(RequestLogRecord.text("ab\0cd", 5), equalTo("ab\uFFFD"));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        assertThat(RequestLogRecord.text("ab" + emoji, 5), equalTo("ab"));
        assertThat(RequestLogRecord.text("a" + emoji, 5), equalTo("a" + emoji));
    }
}
