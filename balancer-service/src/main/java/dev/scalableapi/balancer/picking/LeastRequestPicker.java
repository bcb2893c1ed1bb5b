package dev.scalableapi.balancer.picking;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.endpoints.BackendPool;
import dev.scalableapi.balancer.health.BackendHealth;
import dev.scalableapi.balancer.outlier.OutlierDetector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Chooses the backend for one attempt among those that are healthy and not ejected (a half-open one takes a
 * single trial request at a time), by least in-flight requests relative to weight. Ties are broken at random, in
 * proportion to weight, so idle backends never all lose to the first one and weights count when nothing is in
 * flight.
 */
@ApplicationScoped
public class LeastRequestPicker {

    private final BackendPool pool;
    private final BackendHealth health;
    private final OutlierDetector outliers;
    private final PickingConfig.Policy policy;
    /** The random source for the calling thread; tests pass a seeded one. */
    private final Supplier<RandomGenerator> random;

    @Inject
    LeastRequestPicker(BackendPool pool, BackendHealth health, OutlierDetector outliers, PickingConfig config) {
        this(pool, health, outliers, config.policy(), ThreadLocalRandom::current);
    }

    LeastRequestPicker(BackendPool pool, BackendHealth health, OutlierDetector outliers, PickingConfig.Policy policy,
            Supplier<RandomGenerator> random) {
        this.pool = pool;
        this.health = health;
        this.outliers = outliers;
        this.policy = policy;
        this.random = random;
    }

    /** A backend not in {@code exclude}, or null when none is available. */
    public Backend pick(Set<Backend> exclude) {
        List<Backend> candidates = new ArrayList<>();
        for (Backend backend : pool.all()) {
            if (!exclude.contains(backend) && health.healthy(backend) && outliers.admits(backend)) {
                candidates.add(backend);
            }
        }
        while (!candidates.isEmpty()) {
            Backend chosen = policy == PickingConfig.Policy.P2C ? powerOfTwo(candidates) : least(candidates);
            if (outliers.acquire(chosen)) {
                return chosen;
            }
            candidates.remove(chosen); // a half-open backend whose single trial slot was just taken
        }
        return null;
    }

    private Backend powerOfTwo(List<Backend> candidates) {
        RandomGenerator random = this.random.get();
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        Backend a;
        Backend b;
        if (equalWeights(candidates)) {
            int first = random.nextInt(candidates.size());
            int second = random.nextInt(candidates.size() - 1);
            if (second >= first) {
                second++;
            }
            a = candidates.get(first);
            b = candidates.get(second);
        } else {
            // In-flight / weight only tells backends apart under concurrency: with nothing in flight every
            // comparison was a tie and a weight-3 backend got the same share as a weight-1 one. Drawing both
            // choices in proportion to weight (with replacement) makes idle traffic follow the weights exactly
            // and still lets the load comparison decide when requests pile up.
            a = weightedDraw(candidates, random);
            b = weightedDraw(candidates, random);
        }
        int order = Double.compare(load(a), load(b));
        if (order == 0) {
            return random.nextBoolean() ? a : b;
        }
        return order < 0 ? a : b;
    }

    private Backend least(List<Backend> candidates) {
        RandomGenerator random = this.random.get();
        Backend best = null;
        double bestLoad = Double.MAX_VALUE;
        int ties = 0;
        for (Backend candidate : candidates) {
            double load = load(candidate);
            if (load < bestLoad) {
                best = candidate;
                bestLoad = load;
                ties = candidate.weight();
            } else if (load == bestLoad && random.nextInt(ties += candidate.weight()) < candidate.weight()) {
                best = candidate; // weighted reservoir sampling: each tied backend as likely as its weight
            }
        }
        return best;
    }

    private static boolean equalWeights(List<Backend> candidates) {
        int weight = candidates.get(0).weight();
        for (Backend candidate : candidates) {
            if (candidate.weight() != weight) {
                return false;
            }
        }
        return true;
    }

    private static Backend weightedDraw(List<Backend> candidates, RandomGenerator random) {
        int total = 0;
        for (Backend candidate : candidates) {
            total += candidate.weight();
        }
        int point = random.nextInt(total);
        for (Backend candidate : candidates) {
            point -= candidate.weight();
            if (point < 0) {
                return candidate;
            }
        }
        return candidates.get(candidates.size() - 1);
    }

    private static double load(Backend backend) {
        return (double) backend.inFlight() / backend.weight();
    }
}
