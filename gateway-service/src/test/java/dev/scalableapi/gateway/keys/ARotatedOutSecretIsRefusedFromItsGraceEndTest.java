package dev.scalableapi.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.scalableapi.common.errors.ErrorCode;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The grace's end travels in the record cached under the previous secret and is checked at every use: however
 * long a copy of the record is kept (in process, in Redis, as the last known answer), it stops authenticating at
 * the grace's end, not a moment later. Revocation and the key's own expiry still win.
 */
class ARotatedOutSecretIsRefusedFromItsGraceEndTest {

    private static final Instant GRACE_ENDS = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void acceptedUntilTheGraceEndsThenExpired() {
        KeyRecord previous = record(null, false, GRACE_ENDS);
        assertNull(previous.refusal(GRACE_ENDS.minusNanos(1)));
        assertEquals(ErrorCode.AUTH_KEY_EXPIRED, previous.refusal(GRACE_ENDS).code());
        assertEquals(ErrorCode.AUTH_KEY_EXPIRED, previous.refusal(GRACE_ENDS.plusSeconds(3600)).code());
    }

    @Test
    void theCurrentSecretHasNoGraceEnd() {
        assertNull(record(null, false, null).refusal(GRACE_ENDS.plusSeconds(365L * 86_400)));
    }

    @Test
    void revocationAndTheKeysOwnExpiryApplyDuringTheGrace() {
        Instant before = GRACE_ENDS.minusSeconds(60);
        assertEquals(ErrorCode.AUTH_KEY_REVOKED, record(null, true, GRACE_ENDS).refusal(before).code());
        assertEquals(ErrorCode.AUTH_KEY_EXPIRED, record(before.minusSeconds(1), false, GRACE_ENDS).refusal(before)
                .code());
    }

    private static KeyRecord record(Instant expiresAt, boolean revoked, Instant graceEndsAt) {
        return new KeyRecord(1, 2, "user", "free", Set.of("read"), null, null, expiresAt, revoked, false, graceEndsAt);
    }
}
