package dev.scalableapi.gateway.shedding;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jboss.logging.Logger;

/**
 * A concurrency limit that sheds only overload: it stays at its ceiling until a queue stands in front of the
 * services and does not drain, then holds that queue to a few milliseconds (the hold delay).
 * <p>
 * Signal (CoDel's, widened): the latency within which the fastest two fifths of a window's requests completed. A
 * mix is naturally uneven (cached reads, list queries, writes) and a busy host is noisy, but while two fifths of
 * the requests still pass at about their no-load latency, there is no queue that most requests join. Only when even
 * the fastest two fifths of a window took longer than they did lately (the baseline: the lowest such latency seen)
 * did most requests wait: that excess is the standing queue's delay. Slow request types, noise and the tail raise
 * the mean and the p99, not this: it detects overload. Two fifths, not CoDel's single fastest request, which
 * assumes one queue in front of every request: cached reads skip the database's queue, and in bench/run's uncached
 * mix (6 % of its requests, about ten in every window) they kept each window's fastest request prompt while the
 * rest waited seconds, so nothing was shed. Up to about a quarter of the requests may skip the queue without
 * hiding it, and a mix of half fast, half slow requests (bench's mixes) still has its quantile among the fast ones
 * (two standard deviations away at 100 requests a window).
 * <p>
 * Overload is a queue over the target delay that has stood for {@code persistence} and is at its worst yet, or has
 * stood twice as long whatever its shape: a stall or a burst leaves a queue that drains by itself, and a queue past
 * its peak is draining. Then no more requests may join than are in flight, and from then on the signal is the
 * window's mean latency over the usual one (the mean of windows whose fastest two fifths waited no longer than the
 * hold delay: a queue still building but under the target would pass for usual, and the hold would then keep it):
 * each window in which that excess is over the hold delay (or the window mean's noise, two standard errors, if that
 * is more) cuts the limit by a fifth, down to what the measured throughput justifies by Little's law: completions/s
 * × (the usual latency + hold delay). The target only says when a queue is overload; held to the whole target,
 * requests of a few milliseconds had their p99 more than doubled. A window at or under the hold delay in which the
 * limit was reached raises it by a tenth, probing for capacity; once nothing has been shed for {@code persistence},
 * the overload is over and the limit is back at its ceiling, and for five persistences any standing queue is that
 * overload back. So it ends (without that memory) when a window needs longer than {@code persistence} to collect its
 * completions: traffic that thin is no overload.
 * <p>
 * The baseline forgets what is older than {@code baseline-horizon}, and forgets at once when the limit sat at the
 * justified level for {@code persistence} without bringing the delay down: then every request became slower (a
 * slower dependency, heavier requests) rather than queued, and that is the new usual. At {@code min-limit}, when that
 * is more than the throughput justifies, the floor queues requests itself, so only a delay over the target there
 * says the workload changed.
 * <p>
 * Hot path: admission and completion are a few atomic operations, no lock. The completion that finds its window
 * due closes it if it wins a compare-and-set; only that thread touches the controller's state (published through
 * {@link #windowStart}). A completion racing the close may count half in each window: harmless at these counts.
 */
final class StandingQueueLimit {

    private static final Logger LOG = Logger.getLogger(StandingQueueLimit.class);
    /** Enough for the fastest two fifths to be eight requests: one late straggler does not move their latency. */
    private static final int MIN_SAMPLES = 20;
    /** The share of a window's requests, fastest first, whose latency is the signal. */
    private static final double FAST_PERCENTILE = 40;
    private static final long CLOSING = Long.MIN_VALUE;
    private static final long NONE = Long.MIN_VALUE;
    /** For this many persistences after an overload ended, any standing queue is that overload back. */
    private static final int RELAPSE_PERSISTENCES = 5;

    private final LongSupplier nanoClock;
    private final long windowNanos;
    private final long targetNanos;
    private final long holdNanos;
    private final long persistenceNanos;
    private final int minLimit;
    private final int maxLimit;

    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile int limit;
    private final AtomicLong windowStart;
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong latencySum = new AtomicLong();
    /** The window's latencies (wait-free to record; two significant digits are plenty against the target). */
    private final Recorder latencies = new Recorder(2);
    private final AtomicLong shedInWindow = new AtomicLong();
    private final AtomicLong shortestLag = new AtomicLong(Long.MAX_VALUE);

    // the window closer's state
    private final WindowedMinimum baseline;
    private Histogram closedWindow;
    private boolean overloaded;
    private long standingSince = NONE;
    private long peakDelay;
    private long lastShed;
    private long overloadEnded = NONE;
    private long flooredSince = NONE;
    /**
     * Mean latency of windows without a queue (a moving average): what admitted requests should see. Not learnt from
     * a window with nothing to compare its fast requests to (the first, or the first after the baseline forgot
     * everything): at a load already over capacity that window is queueing too.
     */
    private long typicalLatency;

    StandingQueueLimit(SheddingConfig config, LongSupplier nanoClock) {
        if (config.minLimit() < 1 || config.minLimit() > config.maxLimit()) {
            throw new IllegalArgumentException("gateway.shedding needs 1 <= min-limit <= max-limit, got "
                    + config.minLimit() + " and " + config.maxLimit());
        }
        this.nanoClock = nanoClock;
        this.windowNanos = config.window().toNanos();
        this.targetNanos = config.targetDelay().toNanos();
        this.holdNanos = config.holdDelay().toNanos();
        this.persistenceNanos = config.persistence().toNanos();
        this.minLimit = config.minLimit();
        this.maxLimit = config.maxLimit();
        this.limit = maxLimit;
        long now = nanoClock.getAsLong();
        this.windowStart = new AtomicLong(now);
        this.baseline = new WindowedMinimum(config.baselineHorizon().toNanos(), now);
    }

    /** Admits a request (then {@link #release} must follow once it ends) or refuses it. */
    boolean tryAcquire() {
        int current;
        do {
            current = inFlight.get();
            if (current >= limit) {
                shedInWindow.incrementAndGet();
                return false;
            }
        } while (!inFlight.compareAndSet(current, current + 1));
        return true;
    }

    /** An admitted request ended without a latency that describes the service (an error, the client left). */
    void release() {
        inFlight.decrementAndGet();
    }

    /** An admitted request was answered after {@code latencyNanos}. */
    void release(long latencyNanos) {
        inFlight.decrementAndGet();
        samples.incrementAndGet();
        latencySum.addAndGet(latencyNanos);
        latencies.recordValue(latencyNanos);
        long start = windowStart.get();
        if (start == CLOSING || samples.get() < MIN_SAMPLES) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (now - start >= windowNanos && windowStart.compareAndSet(start, CLOSING)) {
            try {
                close(start, now);
            } finally {
                windowStart.set(now);
            }
        }
    }

    /** How late a task on the gateway's event loop ran: the queue in front of the gateway's own CPU. */
    void eventLoopLag(long lagNanos) {
        long current = shortestLag.get();
        while (lagNanos < current && !shortestLag.compareAndSet(current, lagNanos)) {
            current = shortestLag.get();
        }
    }

    int limit() {
        return limit;
    }

    int inFlight() {
        return inFlight.get();
    }

    private void close(long start, long now) {
        samples.set(0);
        long latencyTotal = latencySum.getAndSet(0);
        closedWindow = latencies.getIntervalHistogram(closedWindow);
        long count = closedWindow.getTotalCount(); // at least this thread's own completion
        long fastLatency = closedWindow.getValueAtPercentile(FAST_PERCENTILE);
        boolean shed = shedInWindow.getAndSet(0) > 0;
        if (shed) {
            lastShed = now;
        }
        long lag = shortestLag.getAndSet(Long.MAX_VALUE);
        baseline.forgetOlderThanHorizon(now);
        boolean firstLook = baseline.minimum() == Long.MAX_VALUE;
        baseline.record(fastLatency);
        long latencyDelay = fastLatency - baseline.minimum();
        long delay = Math.max(latencyDelay, lag == Long.MAX_VALUE ? 0 : lag);
        if (LOG.isDebugEnabled()) {
            LOG.debugf("Window of %d ms: %d completed, fastest two fifths within %.1f ms (%.1f over the no-load"
                    + " latency), mean %.1f ms, event-loop lag %.1f ms, %d in flight, limit %d%s",
                    TimeUnit.NANOSECONDS.toMillis(now - start),
                    count, fastLatency / 1e6, latencyDelay / 1e6, latencyTotal / count / 1e6,
                    lag == Long.MAX_VALUE ? 0 : lag / 1e6, inFlight.get(), limit, overloaded ? ", overloaded" : "");
        }
        if (now - start >= persistenceNanos) {
            // Requests too few to fill a window for that long (an idle spell, thin traffic) are no overload, and
            // whatever was decided before them is stale.
            standingSince = NONE;
            endOverload(false, now);
            return;
        }
        long mean = latencyTotal / count;
        if (overloaded) {
            holdQueue(start, now, count, mean, fastLatency, latencyDelay, lag == Long.MAX_VALUE ? 0 : lag, shed);
            return;
        }
        if (delay <= targetNanos) {
            standingSince = NONE;
            if (delay <= holdNanos && !firstLook) {
                typicalLatency = typicalLatency == 0 ? mean : typicalLatency + (mean - typicalLatency) / 8;
            }
            return;
        }
        if (standingSince == NONE) {
            standingSince = start;
            peakDelay = delay;
        }
        boolean worstYet = delay >= peakDelay;
        peakDelay = Math.max(peakDelay, delay);
        // A queue past its peak drains by itself (a stall's, a burst's); one at its worst yet, or standing for twice
        // as long whatever its shape (at a plateau the peak is rarely beaten), is overload. So is any queue soon
        // after an overload ended: the load that caused it is back, or never left (demand at about capacity, served
        // until the next stall leaves a queue nothing drains; seen in bench/shedding as relapses that queued 2,000
        // requests for the 4 s the persistence took).
        long standing = now - standingSince;
        boolean relapse = overloadEnded != NONE && now - overloadEnded < RELAPSE_PERSISTENCES * persistenceNanos;
        if (relapse || standing >= persistenceNanos && worstYet || standing >= 2 * persistenceNanos) {
            overloaded = true;
            lastShed = now;
            limit = Math.max(minLimit, Math.min(maxLimit, inFlight.get()));
            LOG.infof("Overloaded: requests have queued for %d ms, now %d ms over the no-load latency;"
                    + " concurrency limit %d", TimeUnit.NANOSECONDS.toMillis(now - standingSince),
                    TimeUnit.NANOSECONDS.toMillis(delay), limit);
        }
    }

    /**
     * Under overload the signal is the window's mean latency over the usual one: by Little's law that is what the
     * limit controls (in flight = throughput × mean latency). The fast requests, which detect the queue, are too
     * jumpy to steer by on a saturated host: in {@code bench/shedding --trace} the fastest one swung between 0.4 and
     * 180 ms from one window to the next while the mean stood at 50-200 ms, so that cuts and probes alternated at
     * random and the admitted requests waited five times the target.
     */
    private void holdQueue(long start, long now, long count, long mean, long fastLatency, long latencyDelay, long lag,
            boolean shed) {
        if (now - lastShed >= persistenceNanos) {
            // the limit refused nobody for that long: it is not what holds the load back, whatever the queue
            endOverload(true, now);
            return;
        }
        long usual = typicalLatency == 0 ? mean - latencyDelay : typicalLatency;
        long queued = Math.max(mean - usual, lag);
        // Cut only for a queue the window's mean can tell from noise: a few dozen uneven requests (1 ms reads beside
        // 200 ms queries) move it by more than the hold delay from one window to the next.
        long hold = Math.min(targetNanos, Math.max(holdNanos,
                (long) (2 * closedWindow.getStdDeviation() / Math.sqrt(count))));
        if (queued <= hold) {
            flooredSince = NONE;
            if (shed) {
                // probe for capacity freed since the last cut; only a limit that was reached says anything about
                // capacity, and raising one nobody reaches only removes the protection before the next stall
                limit = Math.min(maxLimit, limit + Math.max(1, limit / 10));
            }
            return;
        }
        // Little's law: the in-flight with which this throughput waits as long as usual plus the hold delay
        long justified = ceilDiv(count * (usual + hold), now - start);
        int floor = (int) Math.max(minLimit, Math.min(limit, justified));
        if (limit > floor) {
            limit = Math.max(floor, limit - Math.max(1, limit / 5));
            flooredSince = NONE;
            return;
        }
        // No slower than usual by more than the hold: the queue is the gateway's own event loop's, and holding the
        // limit at its floor is all there is to do. At the configured minimum, over what the throughput justifies,
        // the minimum itself queues requests: only a latency over the usual by more than the target says that the
        // workload became slower (taking that queue for a slower workload ratcheted the usual latency up, and the
        // limit with it).
        if (mean - usual <= (justified < minLimit ? targetNanos : hold)) {
            flooredSince = NONE;
            return;
        }
        if (flooredSince == NONE) {
            flooredSince = start;
        } else if (now - flooredSince >= persistenceNanos) {
            // Every request is slower, yet in-flight as low as justified did not bring that down: not a queue
            // but a slower workload (a slower dependency, heavier requests). Learn it as the usual.
            baseline.restartWith(fastLatency);
            typicalLatency = mean;
            flooredSince = NONE;
        }
    }

    /** {@code underLoad}: requests kept coming, so a queue soon after is a relapse; else the load went away. */
    private void endOverload(boolean underLoad, long now) {
        flooredSince = NONE;
        overloadEnded = NONE;
        if (overloaded) {
            overloaded = false;
            if (underLoad) {
                overloadEnded = now;
            }
            limit = maxLimit;
            LOG.infof("Overload over: the concurrency limit is back at %d", maxLimit);
        }
    }

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}
