package dev.scalableapi.balancer.picking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.endpoints.BackendPool;
import dev.scalableapi.balancer.health.BackendHealth;
import dev.scalableapi.balancer.outlier.OutlierDetector;
import dev.scalableapi.balancer.outlier.OutlierDetector.Outcome;
import dev.scalableapi.balancer.picking.PickingConfig.Policy;
import dev.scalableapi.balancer.support.OutlierSettings;
import dev.scalableapi.balancer.support.Pools;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both policies over backends whose load is set by hand. Picks are counted over many draws from a seeded random
 * source, so the shares are the same on every run; the bounds leave room for any seed.
 */
class PicksTheLeastLoadedAndSpreadsTiesTest {

    private static final int DRAWS = 30_000;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RandomGenerator random = new SplittableRandom(15);

    @ParameterizedTest
    @EnumSource(Policy.class)
    void idleBackendsOfEqualWeightShareThePicksEvenly(Policy policy) {
        BackendPool pool = Pools.ofSize(3);
        Map<Backend, Integer> picks = draw(picker(pool, policy), pool);
        for (Backend backend : pool.all()) {
            assertShare(picks, backend, 0.30, 0.37);
        }
    }

    @ParameterizedTest
    @EnumSource(Policy.class)
    void idleBackendsArePickedInProportionToTheirWeight(Policy policy) {
        BackendPool pool = Pools.withWeights(3, 1);
        Map<Backend, Integer> picks = draw(picker(pool, policy), pool);
        assertShare(picks, pool.all().get(0), 0.72, 0.78);
    }

    @Test
    void leastConnectionsAlwaysTakesTheLeastLoadedBackend() {
        BackendPool pool = Pools.ofSize(3);
        load(pool.all().get(0), 2);
        load(pool.all().get(1), 1);
        Map<Backend, Integer> picks = draw(picker(pool, Policy.LEAST_CONNECTIONS), pool);
        assertEquals(DRAWS, picks.get(pool.all().get(2)));
    }

    @Test
    void leastConnectionsBreaksTiesAtRandom() {
        BackendPool pool = Pools.ofSize(3);
        load(pool.all().get(0), 1);
        Map<Backend, Integer> picks = draw(picker(pool, Policy.LEAST_CONNECTIONS), pool);
        assertEquals(0, picks.get(pool.all().get(0)));
        assertShare(picks, pool.all().get(1), 0.47, 0.53);
        assertShare(picks, pool.all().get(2), 0.47, 0.53);
    }

    @Test
    void loadIsInFlightRequestsPerWeight() {
        BackendPool pool = Pools.withWeights(3, 1);
        load(pool.all().get(0), 2); // 2 / 3
        load(pool.all().get(1), 1); // 1 / 1
        Map<Backend, Integer> picks = draw(picker(pool, Policy.LEAST_CONNECTIONS), pool);
        assertEquals(DRAWS, picks.get(pool.all().get(0)));
    }

    @Test
    void powerOfTwoNeverPicksTheMostLoadedAndFavoursTheLeastLoaded() {
        BackendPool pool = Pools.ofSize(3);
        load(pool.all().get(0), 2);
        load(pool.all().get(1), 1);
        Map<Backend, Integer> picks = draw(picker(pool, Policy.P2C), pool);
        assertEquals(0, picks.get(pool.all().get(0)), "it always loses its comparison");
        assertShare(picks, pool.all().get(2), 0.63, 0.70); // wins both pairs it is drawn into: 2 of 3
    }

    @Test
    void excludedUnhealthyAndEjectedBackendsAreNotPicked() {
        BackendPool pool = Pools.ofSize(4);
        Backend excluded = pool.all().get(0);
        Backend unhealthy = pool.all().get(1);
        Backend ejected = pool.all().get(2);
        Backend available = pool.all().get(3);
        BackendHealth health = new BackendHealth(pool, 2, 2);
        health.failed(unhealthy, "status 503");
        health.failed(unhealthy, "status 503");
        OutlierDetector outliers = outliers(pool);
        for (int i = 0; i < 5; i++) {
            outliers.record(ejected, Outcome.SERVER_ERROR);
        }
        LeastRequestPicker picker = new LeastRequestPicker(pool, health, outliers, Policy.P2C, () -> random);

        for (int i = 0; i < 1_000; i++) {
            assertEquals(available, picker.pick(Set.of(excluded)));
        }
        assertNull(picker.pick(Set.of(excluded, available)), "nothing left");
    }

    @Test
    void aHalfOpenBackendTakesOneTrialRequestAtATime() {
        BackendPool pool = Pools.ofSize(2);
        Backend recovering = pool.all().get(0);
        Set<Backend> onlyRecovering = Set.of(pool.all().get(1));
        OutlierDetector outliers = outliers(pool);
        for (int i = 0; i < 5; i++) {
            outliers.record(recovering, Outcome.SERVER_ERROR);
        }
        LeastRequestPicker picker =
                new LeastRequestPicker(pool, new BackendHealth(pool, 2, 2), outliers, Policy.P2C, () -> random);
        assertNull(picker.pick(onlyRecovering), "ejected");

        now.addAndGet(30_000);
        assertEquals(recovering, picker.pick(onlyRecovering), "the trial request");
        assertNull(picker.pick(onlyRecovering), "while the trial runs");

        outliers.record(recovering, Outcome.SUCCESS);
        assertEquals(recovering, picker.pick(onlyRecovering));
        assertEquals(recovering, picker.pick(onlyRecovering), "closed again: any number at once");
    }

    private LeastRequestPicker picker(BackendPool pool, Policy policy) {
        return new LeastRequestPicker(pool, new BackendHealth(pool, 2, 2), outliers(pool), policy, () -> random);
    }

    private OutlierDetector outliers(BackendPool pool) {
        return new OutlierDetector(OutlierSettings.envoyDefaults(), pool, new SimpleMeterRegistry(), now::get);
    }

    private static Map<Backend, Integer> draw(LeastRequestPicker picker, BackendPool pool) {
        Map<Backend, Integer> picks = new HashMap<>();
        pool.all().forEach(backend -> picks.put(backend, 0));
        for (int i = 0; i < DRAWS; i++) {
            picks.merge(picker.pick(Set.of()), 1, Integer::sum);
        }
        return picks;
    }

    private static void load(Backend backend, int inFlight) {
        for (int i = 0; i < inFlight; i++) {
            backend.requestStarted();
        }
    }

    private static void assertShare(Map<Backend, Integer> picks, Backend backend, double min, double max) {
        double share = (double) picks.get(backend) / DRAWS;
        assertTrue(share >= min && share <= max,
                backend.id() + " got " + share + " of the picks, expected between " + min + " and " + max);
    }
}
