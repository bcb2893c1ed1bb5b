package dev.scalableapi.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tier's further policies as properties give them ({@code [name:]window:limit, …}), what a malformed one says,
 * and which list a key gets: its own (replacing the tier's), else the tier's with its {@code rateLimitPerMinute} as
 * the minute limit, each distinct list prepared once.
 */
class TierPoliciesComeFromPropertiesTest {

    static final SlidingWindow MINUTE = new SlidingWindow(60_000, 1_000);

    @Test
    void itemsWithAndWithoutANameBecomePolicies() {
        assertEquals(List.of(new RateLimitPolicy("burst", PolicyWindow.SECOND, 20),
                        new RateLimitPolicy(null, PolicyWindow.MONTH, 100_000)),
                TierPolicies.parse("gateway.ratelimit.policies.free", " burst:second:20 , month:100000"));
        assertEquals("monthly", TierPolicies.parse("p", "month:5").get(0).name());
    }

    @Test
    void aMalformedItemNamesTheProperty() {
        for (String wrong : List.of("burst:week:20", "second:0", "second:-3", "second:many", "a:b:c:d", "second")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TierPolicies.parse("gateway.ratelimit.policies.pro", wrong), wrong);
            assertTrue(e.getMessage().startsWith("gateway.ratelimit.policies.pro: '" + wrong + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new TierPolicies(Map.of("anonymous",
                TierPolicies.parse("p", "day:5,daily:day:6")), MINUTE), "names are unique in a list");
    }

    @Test
    void aKeyGetsItsOwnListElseItsTiersWithItsMinuteLimit() {
        TierPolicies tiers = new TierPolicies(Map.of(
                "anonymous", List.of(new RateLimitPolicy("anonymous", PolicyWindow.MINUTE, 3)),
                "free", TierPolicies.parse("p", "free:minute:100,burst:second:10,monthly:month:1000")), MINUTE);
        assertEquals("\"free\";q=100;w=60, \"burst\";q=10;w=1, \"monthly\";q=1000;w=2592000",
                tiers.forKey("free", null, null).policyHeader());
        assertEquals("\"free\";q=7;w=60, \"burst\";q=10;w=1, \"monthly\";q=1000;w=2592000",
                tiers.forKey("free", null, 7).policyHeader(), "rateLimitPerMinute: the minute limit, the rest stay");
        List<RateLimitPolicy> own = TierPolicies.parse("p", "hour:50");
        RateLimitPolicies ownPolicies = tiers.forKey("free", own, 7);
        assertEquals("\"hourly\";q=50;w=3600", ownPolicies.policyHeader(), "a key's own list replaces its tier's");
        assertSame(ownPolicies, tiers.forKey("pro", List.copyOf(own), null), "an equal list is prepared once");
        assertSame(tiers.forKey("free", null, 7), tiers.forKey("free", null, 7));
        assertEquals("\"anonymous\";q=3;w=60", tiers.forTier("platinum").policyHeader(), "unknown: anonymous");
        assertEquals(-1, ownPolicies.minuteIndex());
    }
}
