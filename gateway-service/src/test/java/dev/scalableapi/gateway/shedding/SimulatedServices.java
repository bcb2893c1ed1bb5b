package dev.scalableapi.gateway.shedding;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * A discrete-event model of what stands behind the gateway, on a simulated clock: {@code workers} that take the
 * admitted requests in arrival order, each request taking a service time drawn from a seeded generator, and
 * arrivals at a fixed mean rate (Poisson, as from many independent clients) that go through the limit. A share of
 * the requests may skip the workers' queue (cached reads served beside a saturated database). The host can stall:
 * every worker stops for a while, as in a GC pause or when other processes take the CPU. Phases run one after
 * another on the same state, so a queue left by one phase is still there in the next.
 */
final class SimulatedServices {

    /** A service-time distribution in nanoseconds. */
    @FunctionalInterface
    interface ServiceTime {
        long draw(RandomGenerator random);
    }

    /** What one phase saw: requests offered, shed, and the latencies of the admitted ones. */
    record Phase(long offered, long shed, long[] admittedLatencies, int lowestLimit) {

        double shedShare() {
            return offered == 0 ? 0 : (double) shed / offered;
        }

        /** The admitted requests' latency at {@code percentile} (0-100), in nanoseconds. */
        long admittedPercentile(double percentile) {
            long[] sorted = admittedLatencies.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(percentile / 100 * sorted.length) - 1)];
        }
    }

    /** Due when the client meant to send it, sent when a connection was free, then served (by a worker or not). */
    private record Request(long dueNanos, long sentNanos, long serviceNanos, boolean queued) {
    }

    private record Busy(long doneNanos, Request request) {
    }

    private final int workers;
    private final int connections;
    private final ServiceTime serviceTime;
    private final long stallEvery;
    private final long stallFor;
    private final RandomGenerator random;
    private double bypassShare;
    private ServiceTime bypassTime;
    private int working;
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private final ArrayDeque<Long> unsent = new ArrayDeque<>();
    private int open;
    private PriorityQueue<Busy> busy = new PriorityQueue<>((a, b) -> Long.compare(a.doneNanos(), b.doneNanos()));
    private long now;
    private long pausedUntil;
    private long nextStall;

    /**
     * {@code stallEvery} (null: never) the workers stop for {@code stallFor}. The clients hold at most
     * {@code connections} requests open (HTTP/1.1, one per connection); more wait on their side, unseen by the
     * limit, and their latency still counts from when they were due.
     */
    SimulatedServices(int workers, ServiceTime serviceTime, Duration stallEvery, Duration stallFor,
            int connections, long seed) {
        this.workers = workers;
        this.connections = connections;
        this.serviceTime = serviceTime;
        this.stallEvery = stallEvery == null ? Long.MAX_VALUE : stallEvery.toNanos();
        this.stallFor = stallEvery == null ? 0 : stallFor.toNanos();
        this.nextStall = this.stallEvery;
        this.random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    /** From now on {@code share} of the requests skip the workers' queue and take {@code time} whatever it holds. */
    SimulatedServices bypassing(double share, ServiceTime time) {
        this.bypassShare = share;
        this.bypassTime = time;
        return this;
    }

    /** The simulated clock, for the limit. */
    long nanoTime() {
        return now;
    }

    /** Offers {@code perSecond} requests a second for {@code length} through {@code limit}. */
    Phase run(StandingQueueLimit limit, double perSecond, Duration length) {
        long end = now + length.toNanos();
        long nextArrival = now + gap(perSecond);
        long[] counts = new long[2]; // offered, shed
        int lowestLimit = limit.limit();
        long[] latencies = new long[1024];
        int admitted = 0;
        while (true) {
            long nextDone = busy.isEmpty() ? Long.MAX_VALUE : busy.peek().doneNanos();
            long next = Math.min(Math.min(nextArrival, nextDone), nextStall);
            if (next >= end) {
                now = end;
                return new Phase(counts[0], counts[1], Arrays.copyOf(latencies, admitted), lowestLimit);
            }
            now = next;
            if (next == nextStall) {
                stall();
                nextStall += stallEvery;
            } else if (next == nextDone) {
                Busy done = busy.poll();
                open--;
                limit.release(now - done.request().sentNanos());
                if (admitted == latencies.length) {
                    latencies = Arrays.copyOf(latencies, admitted * 2);
                }
                latencies[admitted++] = now - done.request().dueNanos();
                if (done.request().queued()) {
                    working--;
                    if (!waiting.isEmpty()) {
                        start(waiting.poll());
                    }
                }
                sendUnsent(limit, counts);
            } else {
                unsent.add(now);
                sendUnsent(limit, counts);
                lowestLimit = Math.min(lowestLimit, limit.limit());
                nextArrival += gap(perSecond);
            }
        }
    }

    /** Sends what the clients hold while they have a free connection; a refusal frees its connection at once. */
    private void sendUnsent(StandingQueueLimit limit, long[] counts) {
        while (open < connections && !unsent.isEmpty()) {
            long due = unsent.poll();
            counts[0]++;
            if (!limit.tryAcquire()) {
                counts[1]++;
                continue;
            }
            open++;
            boolean queued = bypassShare == 0 || random.nextDouble() >= bypassShare;
            Request request = new Request(due, now, (queued ? serviceTime : bypassTime).draw(random), queued);
            if (!queued || working < workers) {
                start(request);
            } else {
                waiting.add(request);
            }
        }
    }

    private void start(Request request) {
        if (request.queued()) {
            working++;
        }
        busy.add(new Busy(Math.max(now, pausedUntil) + request.serviceNanos(), request));
    }

    /** Nothing progresses for a while: what is in service finishes that much later. */
    private void stall() {
        pausedUntil = now + stallFor;
        PriorityQueue<Busy> shifted = new PriorityQueue<>(busy.comparator());
        busy.forEach(b -> shifted.add(new Busy(b.doneNanos() + stallFor, b.request())));
        busy = shifted;
    }

    private long gap(double perSecond) {
        return (long) (-Math.log(1 - random.nextDouble()) / perSecond * 1e9);
    }
}
