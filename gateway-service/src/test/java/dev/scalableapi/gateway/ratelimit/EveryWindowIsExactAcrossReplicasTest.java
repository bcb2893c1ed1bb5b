package dev.scalableapi.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every window kind is exact across replicas: two limiter instances on two Redis connections (two gateways) and 64
 * concurrent callers fire five times the limit, and exactly the limit is admitted, each admitted request with its
 * own "remaining". The clock is the test's (passed to the script), so calendar periods can be crossed on purpose:
 * UTC month ends (December into January, a leap February) and day ends give the whole quota back at once, exactly at
 * 00:00 UTC, and not a millisecond before. With several policies a request is counted in all or none.
 */
class EveryWindowIsExactAcrossReplicasTest {

    static Vertx vertx;
    static Redis clientA;
    static Redis clientB;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        clientA = Limiters.standaloneClient(vertx, Limiters.STANDALONE);
        clientB = Limiters.standaloneClient(vertx, Limiters.STANDALONE);
    }

    @AfterAll
    static void stop() {
        clientA.close();
        clientB.close();
        vertx.closeAndAwait();
    }

    /** Two gateways on one shared test clock. */
    private record Fleet(GatewayRateLimiter a, GatewayRateLimiter b, AtomicLong clock) {
        RateLimitDecision decide(int i, String subject, RateLimitPolicies policies) {
            return Limiters.await((i % 2 == 0 ? a : b).isAllowed(subject, "free", policies), Duration.ofSeconds(30));
        }

        RateLimitDecision decide(String subject, RateLimitPolicies policies) {
            return decide(0, subject, policies);
        }

        RateLimitDecision peek(String subject, RateLimitPolicies policies) {
            return Limiters.await(b.peek(subject, "free", policies), Duration.ofSeconds(30)).orElseThrow();
        }

        void at(String instant) {
            clock.set(Instant.parse(instant).toEpochMilli());
        }

        void advance(Duration by) {
            clock.addAndGet(by.toMillis());
        }
    }

    private static Fleet fleet(String instant) {
        AtomicLong clock = new AtomicLong(Instant.parse(instant).toEpochMilli());
        String prefix = Limiters.uniquePrefix();
        return new Fleet(Limiters.exact(clientA, prefix, clock::get), Limiters.exact(clientB, prefix, clock::get),
                clock);
    }

    @ParameterizedTest
    @EnumSource(PolicyWindow.class)
    void sixtyFourCallersOnTwoReplicasGetExactlyTheLimitOfEachWindow(PolicyWindow window) throws Exception {
        Fleet fleet = fleet("2031-05-20T10:00:00.250Z");
        int limit = 40;
        RateLimitPolicies policies = Limiters.policies(window.id() + ":" + limit);

        List<RateLimitDecision> decisions = LimitIsExactAcrossReplicasTest.fire(64, 5 * limit,
                i -> fleet.decide(i, "key:" + window.id(), policies));

        assertTrue(decisions.stream().allMatch(d -> d.mode() == Mode.REDIS));
        List<RateLimitDecision> allowed = decisions.stream().filter(RateLimitDecision::allowed).toList();
        assertEquals(limit, allowed.size(), "admitted in a " + window.id());
        assertEquals(LongStream.range(0, limit).boxed().collect(Collectors.toSet()),
                allowed.stream().map(RateLimitDecision::remaining).collect(Collectors.toSet()),
                "every admitted request saw its own remaining value");
        assertEquals(window.defaultName(), allowed.get(0).policy());
        long retry = decisions.stream().filter(d -> !d.allowed()).mapToLong(RateLimitDecision::retryAfterSeconds)
                .max().orElseThrow();
        switch (window) {
            // sliding: back when the (only) bucket leaves the guard, one window and one step after the bucket began
            // (the guard is conservative by less than a step): buckets of 100 ms, 1 s and 1 min, 250 ms in
            case SECOND -> assertEquals(2, retry); // 1,050 ms
            case MINUTE -> assertEquals(61, retry); // 60,750 ms
            case HOUR -> assertEquals(3_660, retry); // 3,659,750 ms
            // calendar: back at the period's end, UTC
            case DAY -> assertEquals(Duration.between(Instant.parse("2031-05-20T10:00:00.250Z"),
                    Instant.parse("2031-05-21T00:00:00Z")).toSeconds() + 1, retry);
            case MONTH -> assertEquals(Duration.between(Instant.parse("2031-05-20T10:00:00.250Z"),
                    Instant.parse("2031-06-01T00:00:00Z")).toSeconds() + 1, retry);
        }
        assertEquals(window.isCalendar(), decisions.stream().filter(d -> !d.allowed())
                .allMatch(RateLimitDecision::quotaExceeded), "only a day or month refusal is a spent quota");
    }

    @Test
    void aMonthsQuotaComesBackExactlyAtTheUtcMonthEnd() throws Exception {
        for (String[] boundary : new String[][] {
                {"2030-12-31T23:59:59.000Z", "2031-01-01T00:00:00Z"},
                {"2032-02-29T23:59:58.000Z", "2032-03-01T00:00:00Z"},
                {"2031-04-30T23:00:00.000Z", "2031-05-01T00:00:00Z"}}) {
            Fleet fleet = fleet(boundary[0]);
            RateLimitPolicies monthly = Limiters.policies("monthly:month:5");
            List<RateLimitDecision> before = LimitIsExactAcrossReplicasTest.fire(16, 20,
                    i -> fleet.decide(i, "key:month", monthly));
            assertEquals(5, before.stream().filter(RateLimitDecision::allowed).count(), boundary[0]);
            RateLimitDecision refused = before.stream().filter(d -> !d.allowed()).findFirst().orElseThrow();
            long end = Instant.parse(boundary[1]).getEpochSecond();
            assertEquals(end, refused.resetEpochSeconds(), "the quota renews on the 1st, 00:00 UTC");
            assertEquals(end - Instant.parse(boundary[0]).getEpochSecond(), refused.retryAfterSeconds());
            assertTrue(refused.quotaExceeded());

            fleet.at(boundary[1]);
            fleet.advance(Duration.ofMillis(-1));
            assertFalse(fleet.decide("key:month", monthly).allowed(), "one millisecond before the month ends");
            fleet.advance(Duration.ofMillis(1));
            List<RateLimitDecision> after = LimitIsExactAcrossReplicasTest.fire(16, 20,
                    i -> fleet.decide(i, "key:month", monthly));
            assertEquals(5, after.stream().filter(RateLimitDecision::allowed).count(), "the new month: " + boundary[1]);
        }
    }

    @Test
    void aDaysQuotaComesBackAtUtcMidnight() {
        Fleet fleet = fleet("2031-07-09T23:59:59.500Z");
        RateLimitPolicies daily = Limiters.policies("day:3");
        for (int i = 0; i < 3; i++) {
            assertTrue(fleet.decide("key:day", daily).allowed());
        }
        RateLimitDecision refused = fleet.decide("key:day", daily);
        assertFalse(refused.allowed());
        assertEquals(1, refused.retryAfterSeconds());
        assertEquals("daily", refused.policy());
        fleet.at("2031-07-10T00:00:00Z");
        RateLimitDecision next = fleet.decide("key:day", daily);
        assertTrue(next.allowed());
        assertEquals(2, next.remaining());
    }

    @Test
    void anHourSlidesMinuteByMinute() {
        Fleet fleet = fleet("2031-07-09T10:00:10Z");
        RateLimitPolicies hourly = Limiters.policies("hour:4");
        assertTrue(fleet.decide("key:hour", hourly).allowed());
        assertTrue(fleet.decide("key:hour", hourly).allowed());
        fleet.advance(Duration.ofMinutes(30));
        assertTrue(fleet.decide("key:hour", hourly).allowed());
        assertTrue(fleet.decide("key:hour", hourly).allowed());
        RateLimitDecision refused = fleet.decide("key:hour", hourly);
        assertFalse(refused.allowed());
        assertFalse(refused.quotaExceeded());
        // the first pair's minute bucket (10:00) leaves the window at 11:01
        assertEquals(Duration.ofMinutes(31).toSeconds() - 10, refused.retryAfterSeconds());
        fleet.at("2031-07-09T11:00:59Z");
        assertFalse(fleet.decide("key:hour", hourly).allowed(), "still inside the hour of the first pair");
        fleet.at("2031-07-09T11:01:00Z");
        RateLimitDecision back = fleet.decide("key:hour", hourly);
        assertTrue(back.allowed());
        assertEquals(1, back.remaining(), "only the first pair came back: no fixed-window reset");
    }

    @Test
    void aRefusalByOnePolicySpendsNothingInTheOthers() {
        Fleet fleet = fleet("2031-09-15T08:00:00.100Z");
        RateLimitPolicies burstAndMonth = Limiters.policies("burst:second:3,minute:10,monthly:month:100");
        for (int i = 0; i < 3; i++) {
            assertTrue(fleet.decide("key:mixed", burstAndMonth).allowed());
        }
        for (int i = 0; i < 7; i++) {
            RateLimitDecision refused = fleet.decide("key:mixed", burstAndMonth);
            assertFalse(refused.allowed());
            assertFalse(refused.quotaExceeded(), "the burst refused: RATE_LIMIT_EXCEEDED");
            assertEquals("burst", refused.policy());
            assertEquals(2, refused.retryAfterSeconds(), "1.1 s: the second's ten buckets and the current one");
        }
        RateLimitDecision state = fleet.peek("key:mixed", burstAndMonth);
        assertEquals(List.of(0L, 7L, 97L), remaining(state), "the seven refusals spent nothing in minute and month");
        assertEquals(state.toString(), fleet.peek("key:mixed", burstAndMonth).toString(), "a peek spends nothing");

        fleet.advance(Duration.ofMillis(1_100));
        RateLimitDecision next = fleet.decide("key:mixed", burstAndMonth);
        assertTrue(next.allowed());
        assertEquals(List.of(2L, 6L, 96L), remaining(next));
        assertEquals("burst", next.policy(), "reported: the policy closest to exhaustion");
    }

    @Test
    void aSpentQuotaRefusesWithoutSpendingTheBurstAndTheLatestRefusalSetsRetryAfter() {
        Fleet fleet = fleet("2031-09-30T23:59:00Z");
        RateLimitPolicies policies = Limiters.policies("burst:second:5,daily:day:2,monthly:month:2");
        assertTrue(fleet.decide("key:quota", policies).allowed());
        assertTrue(fleet.decide("key:quota", policies).allowed());
        RateLimitDecision refused = fleet.decide("key:quota", policies);
        assertFalse(refused.allowed());
        assertTrue(refused.quotaExceeded());
        assertEquals("daily", refused.policy(), "day and month end together: the first of the refusing ones");
        assertEquals(60, refused.retryAfterSeconds());
        assertEquals(List.of(3L, 0L, 0L), remaining(fleet.peek("key:quota", policies)),
                "the refusal spent nothing in the burst");

        // a new day, same month (October 1st is both): quota back; then only the month is spent
        fleet.at("2031-10-01T00:00:00Z");
        assertTrue(fleet.decide("key:quota", policies).allowed());
        assertTrue(fleet.decide("key:quota", policies).allowed());
        fleet.at("2031-10-02T12:00:00Z");
        RateLimitDecision monthSpent = fleet.decide("key:quota", policies);
        assertFalse(monthSpent.allowed());
        assertEquals("monthly", monthSpent.policy());
        assertEquals(Duration.between(Instant.parse("2031-10-02T12:00:00Z"), Instant.parse("2031-11-01T00:00:00Z"))
                .toSeconds(), monthSpent.retryAfterSeconds(), "until the month frees, not the day");
        assertEquals(List.of(5L, 2L, 0L), remaining(monthSpent));
    }

    @Test
    void theLocalFallbackDecidesTheSameListPerReplica() {
        Instant start = Instant.parse("2031-01-31T23:59:59.000Z");
        AtomicLong clock = new AtomicLong(start.toEpochMilli());
        LocalRateLimiter local = new LocalRateLimiter(() -> 2, 100, clock::get);
        RateLimitPolicies policies = Limiters.policies("burst:second:4,minute:20,monthly:month:6");
        RateLimitDecision first = local.acquire("key:local", "free", policies);
        assertEquals(Mode.LOCAL, first.mode());
        assertEquals(List.of(2L, 10L, 3L), List.of(first.limit(0), first.limit(1), first.limit(2)),
                "each limit divided by the 2 gateways, rounded up");
        assertEquals(List.of(0L, 8L, 1L), remaining(local.acquire("key:local", "free", policies)));
        RateLimitDecision burst = local.acquire("key:local", "free", policies);
        assertFalse(burst.allowed());
        assertFalse(burst.quotaExceeded());
        assertEquals(List.of(0L, 8L, 1L), remaining(burst), "the burst's refusal spent nothing");
        clock.addAndGet(500);
        assertFalse(local.acquire("key:local", "free", policies).allowed(), "the burst's buckets still count");

        clock.set(start.plusMillis(1_100).toEpochMilli());
        assertEquals(List.of(1L, 7L, 2L), remaining(local.acquire("key:local", "free", policies)),
                "February: a new month, the same minute");
        assertEquals(List.of(0L, 6L, 1L), remaining(local.acquire("key:local", "free", policies)));
        clock.addAndGet(1_100);
        assertEquals(List.of(1L, 5L, 0L), remaining(local.acquire("key:local", "free", policies)));
        RateLimitDecision spent = local.acquire("key:local", "free", policies);
        assertFalse(spent.allowed());
        assertTrue(spent.quotaExceeded());
        assertEquals("monthly", spent.policy());
        assertEquals(List.of(1L, 5L, 0L), remaining(spent), "the quota's refusal spent nothing");
        assertEquals(Instant.parse("2031-03-01T00:00:00Z").getEpochSecond(), spent.resetEpochSeconds());
    }

    private static List<Long> remaining(RateLimitDecision d) {
        return LongStream.range(0, d.policies().size()).map(i -> d.remaining((int) i)).boxed().toList();
    }
}
