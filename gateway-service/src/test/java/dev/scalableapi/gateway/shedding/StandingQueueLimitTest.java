package dev.scalableapi.gateway.shedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The limit's arithmetic on a simulated clock with the shipped defaults (unless a test overrides one): first fed
 * windows of latencies by hand, then in front of {@link SimulatedServices} whose latency is high and uneven and
 * whose host stalls now and then, offered 80 % and 150 % of what they can serve.
 */
class StandingQueueLimitTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long WINDOW = 100 * MS;
    private static final int CEILING = 2000;
    /**
     * Half the requests fast (a cached or an indexed read), half about ten times slower (a list query, a write),
     * one in fifty very slow: a mean of 14.78 ms and a tail in the hundreds.
     */
    private static final SimulatedServices.ServiceTime UNEVEN = random -> {
        double kind = random.nextDouble();
        if (kind < 0.49) {
            return MS + (long) (random.nextExponential() * MS);
        }
        if (kind < 0.98) {
            return 5 * MS + (long) (random.nextExponential() * 15 * MS);
        }
        return 50 * MS + (long) (random.nextExponential() * 150 * MS);
    };
    /** A read served from a cache, beside the workers. */
    private static final SimulatedServices.ServiceTime CACHED = random -> MS + (long) (random.nextExponential() * MS);
    /** Every request a few milliseconds (a mix of cached reads alone): a mean of 2 ms. */
    private static final SimulatedServices.ServiceTime FAST =
            random -> MS / 2 + (long) (random.nextExponential() * 1.5 * MS);
    /** Half point reads of about 1 ms, half list queries of about 2.6 ms: a mean of 1.8 ms (bench's uncached mix). */
    private static final SimulatedServices.ServiceTime READS_AND_LISTS = random -> random.nextDouble() < 0.5
            ? MS / 2 + (long) (random.nextExponential() * MS / 2)
            : MS + (long) (random.nextExponential() * 1.6 * MS);
    private static final int WORKERS = 8;
    private static final double CAPACITY = WORKERS / 0.01478;
    /** As many connections as the benchmark's generator keeps: past them, a queue builds on the clients' side. */
    private static final int CONNECTIONS = 256;

    private long now;

    private static SheddingConfig config(Map<String, String> overrides) {
        return new SmallRyeConfigBuilder().withMapping(SheddingConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(overrides, "test", 500)).build()
                .getConfigMapping(SheddingConfig.class);
    }

    private StandingQueueLimit limit(Map<String, String> overrides, int inFlight) {
        StandingQueueLimit limit = new StandingQueueLimit(config(overrides), () -> now);
        for (int i = 0; i < inFlight; i++) {
            assertTrue(limit.tryAcquire());
        }
        return limit;
    }

    /**
     * One window of 100 ms: each latency is a request completing, at even steps, and a new one arriving at once
     * (so the in-flight stays put unless the limit refuses). Returns how many arrivals were refused.
     */
    private int window(StandingQueueLimit limit, long... latencies) {
        int refused = 0;
        for (long latency : latencies) {
            now += WINDOW / latencies.length;
            limit.release(latency);
            if (!limit.tryAcquire()) {
                refused++;
            }
        }
        return refused;
    }

    private static long[] hundred(long latency) {
        long[] latencies = new long[100];
        Arrays.fill(latencies, latency);
        return latencies;
    }

    @Test
    void aQueueThatStandsIsHeldThenCutToWhatTheThroughputJustifies() {
        StandingQueueLimit limit = limit(Map.of("gateway.shedding.min-limit", "1"), 52);
        window(limit, hundred(2 * MS));
        // from now on every request waits 50 ms more, and 52 are in flight (1,000/s × 52 ms)
        for (int i = 0; i < 19; i++) {
            assertEquals(0, window(limit, hundred(52 * MS)));
            assertEquals(CEILING, limit.limit(), "a queue younger than the persistence may still drain by itself");
        }
        List<Integer> limits = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            window(limit, hundred(52 * MS));
            limits.add(limit.limit());
        }
        // held at the 51 in flight when the window closed, then a fifth less per window down to
        // 1,000/s × (2 ms as usual + the 2 ms hold delay) = 4
        assertEquals(List.of(51, 41, 33, 27, 22, 18, 15, 12, 10, 8, 7, 6, 5, 4, 4), limits);
    }

    @Test
    void underOverloadTheQueueIsCutThoughSomeRequestsStillPassAtOnce() {
        StandingQueueLimit limit = limit(Map.of(), 52);
        window(limit, hundred(2 * MS));
        for (int i = 0; i < 20; i++) {
            window(limit, hundred(52 * MS));
        }
        assertEquals(51, limit.limit());
        // On a saturated host the fastest request of a window swings (bench/shedding --trace): in two windows of
        // three one request passes at its no-load latency, though the queue every other one joins stands still.
        for (int i = 0; i < 12; i++) {
            long[] latencies = hundred(52 * MS);
            if (i % 3 != 2) {
                latencies[0] = 2 * MS;
            }
            window(limit, latencies);
        }
        assertEquals(20, limit.limit());
    }

    /**
     * A limit overloaded as in {@link #aQueueThatStandsIsHeldThenCutToWhatTheThroughputJustifies}, cut to its floor
     * of 20 (the throughput justifies 4).
     */
    private StandingQueueLimit overloaded() {
        StandingQueueLimit limit = limit(Map.of(), 52);
        window(limit, hundred(2 * MS));
        for (int i = 0; i < 26; i++) {
            window(limit, hundred(52 * MS));
        }
        assertEquals(20, limit.limit());
        return limit;
    }

    /** Demand falls below what the limit admits, and nothing is shed for the persistence: the overload is over. */
    private void overloadEndsUnderLoad(StandingQueueLimit limit) {
        for (int i = 0; i < 10; i++) {
            limit.release();
        }
        for (int i = 0; i < 21; i++) {
            assertEquals(0, window(limit, hundred(2 * MS)));
        }
        assertEquals(CEILING, limit.limit());
    }

    @Test
    void underOverloadOnlyALimitThatWasReachedIsRaised() {
        StandingQueueLimit limit = overloaded();
        for (int i = 0; i < 10; i++) {
            limit.release(); // demand falls below what the limit admits
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(0, window(limit, hundred(2 * MS)));
            assertEquals(20, limit.limit(), "a limit nobody reached says nothing about capacity");
        }
        while (limit.tryAcquire()) {
            // demand is back up to the limit ...
        }
        window(limit, hundred(2 * MS)); // ... which refused a request in a window without a queue
        assertEquals(22, limit.limit());
    }

    @Test
    void aQueueSoonAfterAnOverloadIsThatOverloadBack() {
        StandingQueueLimit limit = overloaded();
        overloadEndsUnderLoad(limit);
        window(limit, hundred(52 * MS)); // a queue stands again: no persistence to wait out this time
        assertTrue(limit.limit() < CEILING, "limit " + limit.limit());
    }

    @Test
    void anOverloadFivePersistencesAgoIsHistory() {
        StandingQueueLimit limit = overloaded();
        overloadEndsUnderLoad(limit);
        for (int i = 0; i < 100; i++) {
            window(limit, hundred(2 * MS));
        }
        window(limit, hundred(52 * MS));
        window(limit, hundred(52 * MS));
        assertEquals(CEILING, limit.limit(), "a queue has to stand for the persistence again");
    }

    @Test
    void anOverloadThatEndedWithTheLoadLeavesNoRelapse() {
        StandingQueueLimit limit = overloaded();
        now += TimeUnit.SECONDS.toNanos(3); // the load went away
        window(limit, hundred(2 * MS));
        assertEquals(CEILING, limit.limit());
        window(limit, hundred(52 * MS));
        window(limit, hundred(52 * MS)); // (the idle spell shifted the limit's windows: two hold a whole one)
        assertEquals(CEILING, limit.limit());
    }

    @Test
    void aQueueThatStandsStillPastItsPeakIsOverloadOnceItStoodTwiceAsLong() {
        StandingQueueLimit limit = limit(Map.of(), 52);
        window(limit, hundred(2 * MS));
        window(limit, hundred(62 * MS)); // the peak comes first, as when a stall starts a queue ...
        for (int i = 0; i < 38; i++) {
            window(limit, hundred(52 * MS)); // ... that then stands still: arrivals as fast as completions
            assertEquals(CEILING, limit.limit());
        }
        window(limit, hundred(52 * MS));
        assertEquals(51, limit.limit());
    }

    @Test
    void anEventLoopThatStaysBehindIsOverloadThoughRequestsPassFast() {
        StandingQueueLimit limit = limit(Map.of(), 52);
        window(limit, hundred(2 * MS));
        // a few milliseconds behind now and then is a busy gateway, not a queue
        for (int i = 0; i < 50; i++) {
            limit.eventLoopLag(4 * MS);
            window(limit, hundred(2 * MS));
        }
        assertEquals(CEILING, limit.limit());
        // every probe 30 ms late for 2 s: requests wait before the gateway can even time them
        for (int i = 0; i < 20; i++) {
            limit.eventLoopLag(30 * MS);
            window(limit, hundred(2 * MS));
        }
        assertEquals(51, limit.limit());
    }

    @Test
    void anIdleSpellEndsAnOverload() {
        StandingQueueLimit limit = overloaded();
        now += TimeUnit.SECONDS.toNanos(10); // nothing arrives for a while
        window(limit, hundred(2 * MS));
        assertEquals(CEILING, limit.limit());
    }

    @Test
    void aQueueThatKeepsDrainingIsLeftAlone() {
        StandingQueueLimit limit = limit(Map.of(), 10);
        window(limit, hundred(2 * MS));
        // a long stall's aftermath: the queue is past its peak from the first window and shrinks
        for (int ms = 400; ms > 20; ms -= 12) {
            assertEquals(0, window(limit, hundred(2 * MS + ms * MS)));
        }
        assertEquals(CEILING, limit.limit());
    }

    @Test
    void queuesThatComeAndGoAreNotOverload() {
        StandingQueueLimit limit = limit(Map.of(), 10);
        window(limit, hundred(2 * MS));
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 19; i++) {
                assertEquals(0, window(limit, hundred(300 * MS)));
            }
            window(limit, hundred(3 * MS));
        }
        assertEquals(CEILING, limit.limit());
    }

    @Test
    void slowRequestsBesideFastOnesAreNotAQueue() {
        StandingQueueLimit limit = limit(Map.of(), 10);
        long[] mixed = new long[100];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = i % 2 == 0 ? 2 * MS : (400 + i) * MS;
        }
        for (int i = 0; i < 600; i++) {
            assertEquals(0, window(limit, mixed));
        }
        assertEquals(CEILING, limit.limit());
    }

    @Test
    void aWorkloadThatBecameSlowerIsRelearnedNotShedForLong() {
        StandingQueueLimit limit = limit(Map.of(), 40);
        window(limit, hundred(2 * MS));
        // every request now takes 40 ms: no fast ones left, yet nothing queues
        int windowsWithRefusals = 0;
        for (int i = 0; i < 100; i++) {
            windowsWithRefusals += window(limit, hundred(40 * MS)) > 0 ? 1 : 0;
        }
        assertEquals(CEILING, limit.limit());
        assertTrue(windowsWithRefusals <= 30, windowsWithRefusals + " windows refused requests");
    }

    @Test
    void theLimitStopsAtItsFloor() {
        StandingQueueLimit limit = limit(Map.of("gateway.shedding.min-limit", "30"), 52);
        window(limit, hundred(2 * MS));
        for (int i = 0; i < 30; i++) {
            window(limit, hundred(52 * MS));
        }
        assertEquals(30, limit.limit());
    }

    @Test
    void aFloorAboveTheCeilingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> limit(Map.of("gateway.shedding.min-limit", "50",
                "gateway.shedding.max-limit", "10"), 0));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void atEightyPercentNothingIsShedThoughLatencyIsHighUnevenAndStalls(long seed) {
        SimulatedServices services = new SimulatedServices(WORKERS, UNEVEN, Duration.ofSeconds(5),
                Duration.ofMillis(150), CONNECTIONS, seed);
        StandingQueueLimit limit = new StandingQueueLimit(config(Map.of()), services::nanoTime);
        SimulatedServices.Phase phase = services.run(limit, 0.8 * CAPACITY, Duration.ofSeconds(120));
        assertEquals(0, phase.shed());
        assertEquals(CEILING, phase.lowestLimit());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void atOneHundredFiftyPercentTheExcessIsShedAndTheAdmittedKeepTheirLatency(long seed) {
        SimulatedServices normal = new SimulatedServices(WORKERS, UNEVEN, null, null, CONNECTIONS, seed);
        long normalP99 = normal.run(new StandingQueueLimit(config(Map.of()), normal::nanoTime), 0.8 * CAPACITY,
                Duration.ofSeconds(60)).admittedPercentile(99);

        SimulatedServices services = new SimulatedServices(WORKERS, UNEVEN, null, null, CONNECTIONS, seed);
        StandingQueueLimit limit = new StandingQueueLimit(config(Map.of()), services::nanoTime);
        services.run(limit, 1.5 * CAPACITY, Duration.ofSeconds(5));
        SimulatedServices.Phase overload = services.run(limit, 1.5 * CAPACITY, Duration.ofSeconds(60));
        // a third is the excess; what is admitted keeps the services busy, so their latency is that of a full house
        assertTrue(overload.shedShare() > 0.28 && overload.shedShare() < 0.40, "shed " + overload.shedShare());
        assertTrue(overload.admittedPercentile(99) <= 2 * normalP99,
                overload.admittedPercentile(99) / 1e6 + " ms against " + normalP99 / 1e6 + " ms at 80 %");
    }

    /**
     * Requests of a few milliseconds each (bench's cached reads): their p99 at 80 % is a few times their mean, so
     * holding the admitted ones to the detection target (20 ms) would more than double it (2.7× in this model, 3.7×
     * in bench/shedding of 2026-12-07); the hold delay keeps them within 2×, and the services still busy. Their
     * throughput justifies 4 in flight, under the floor of 20, whose own queue (about 18 ms) is not a slower workload:
     * taken for one after 2 s at the floor, it became the usual latency, the limit rose with it, and seed 5 had 2.06×.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void atOneHundredFiftyPercentFastRequestsKeepTheirLatencyToo(long seed) {
        int workers = 2;
        shedsOnlyTheExcess(() -> new SimulatedServices(workers, FAST, null, null, CONNECTIONS, seed), workers / 0.002);
    }

    /**
     * Offered 150 % from the first request, two workers queue at once. The usual latency was learnt from every window
     * whose queue was still under the target (and from the first window, with nothing to compare it to), so a queue
     * of some 20 ms passed for usual and the hold delay kept it: 2.2× and 2.1× the 80 % run's p99 on seeds 1 and 2
     * (on 8 seeds of 20); now it is learnt only where the fast requests waited no longer than the hold delay.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void aQueueThatBuildsFromTheFirstRequestIsNotTakenForUsual(long seed) {
        shedsOnlyTheExcess(() -> new SimulatedServices(2, READS_AND_LISTS, null, null, CONNECTIONS, seed), 2 / 0.0018);
    }

    /**
     * A fifth of the requests are cached reads that skip the saturated workers (bench/run's uncached mix had 6 %:
     * about ten in every window, so its fastest request never waited, and nothing was shed while the rest waited
     * seconds). The workers serve the other four fifths, so the mix's capacity is a quarter higher.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void requestsThatSkipTheQueueDoNotHideIt(long seed) {
        shedsOnlyTheExcess(() -> new SimulatedServices(WORKERS, UNEVEN, null, null, CONNECTIONS, seed)
                .bypassing(0.2, CACHED), CAPACITY / 0.8);
    }

    /**
     * Fresh services offered 80 % of {@code capacity} for a minute shed nothing; fresh ones offered 150 % shed about
     * the third that is too much, and what they admit has its p99 within 2× of the 80 % run's.
     */
    private static void shedsOnlyTheExcess(Supplier<SimulatedServices> fresh, double capacity) {
        SimulatedServices normal = fresh.get();
        SimulatedServices.Phase eighty = normal.run(new StandingQueueLimit(config(Map.of()), normal::nanoTime),
                0.8 * capacity, Duration.ofSeconds(60));
        assertEquals(0, eighty.shed());

        SimulatedServices services = fresh.get();
        StandingQueueLimit limit = new StandingQueueLimit(config(Map.of()), services::nanoTime);
        services.run(limit, 1.5 * capacity, Duration.ofSeconds(5));
        SimulatedServices.Phase overload = services.run(limit, 1.5 * capacity, Duration.ofSeconds(60));
        assertTrue(overload.shedShare() > 0.28 && overload.shedShare() < 0.40, "shed " + overload.shedShare());
        assertTrue(overload.admittedPercentile(99) <= 2 * eighty.admittedPercentile(99),
                overload.admittedPercentile(99) / 1e6 + " ms against " + eighty.admittedPercentile(99) / 1e6
                        + " ms at 80 %");
    }

    @Test
    void whenTheLoadFallsTheLimitReturnsToItsCeiling() {
        SimulatedServices services = new SimulatedServices(WORKERS, UNEVEN, null, null, CONNECTIONS, 7);
        StandingQueueLimit limit = new StandingQueueLimit(config(Map.of()), services::nanoTime);
        SimulatedServices.Phase overload = services.run(limit, 1.5 * CAPACITY, Duration.ofSeconds(20));
        assertTrue(overload.shed() > 0 && overload.lowestLimit() < 100, "limit " + overload.lowestLimit());
        services.run(limit, 0.5 * CAPACITY, Duration.ofSeconds(5));
        SimulatedServices.Phase after = services.run(limit, 0.5 * CAPACITY, Duration.ofSeconds(30));
        assertEquals(0, after.shed());
        assertEquals(CEILING, after.lowestLimit());
    }
}
