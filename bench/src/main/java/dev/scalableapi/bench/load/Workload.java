package dev.scalableapi.bench.load;

/** What to send next; called from the pacing thread, one call at a time. */
@FunctionalInterface
public interface Workload {

    Call next(long sequence);
}
