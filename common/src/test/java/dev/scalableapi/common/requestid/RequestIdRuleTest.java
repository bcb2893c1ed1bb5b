package dev.scalableapi.common.requestid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestIdRuleTest {

    @Test
    void saneTokensAreKept() {
        assertEquals("abc-123_X.y", RequestId.acceptOrGenerate("abc-123_X.y"));
        String sixtyFour = "a".repeat(64);
        assertEquals(sixtyFour, RequestId.acceptOrGenerate(sixtyFour));
    }

    @Test
    void unsafeOrOversizedIdsAreReplaced() {
        for (String bad : new String[] {null, "", "a".repeat(65), "has space", "new\nline", "quote\"", "ü", "<x>",
                "a/b", "a:b", "a@b", "a[b", "a`b", "a{b", "a,b", "a+b"}) {
            assertFalse(RequestId.isSane(bad), String.valueOf(bad));
            String generated = RequestId.acceptOrGenerate(bad);
            assertNotEquals(bad, generated);
            assertTrue(RequestId.isSane(generated));
        }
    }

    @Test
    void generatedIdsAreUnique() {
        assertNotEquals(RequestId.acceptOrGenerate(null), RequestId.acceptOrGenerate(null));
    }
}
