package dev.scalableapi.bench.load;

/**
 * What became of one request. {@code status} is 0 when no response came ({@code failure} says why:
 * {@code connect-error}, {@code timeout}, {@code closed}, {@code io-error}, {@code client-overflow}).
 * {@code latencyNanos} runs from the intended send time, so a stalled server is charged for the queue it caused.
 */
public record Outcome(Call call, int status, String failure, String cache, String body, long intendedNanos,
        long completedNanos, long latencyNanos) {

    public boolean ok() {
        return status >= 200 && status < 400;
    }

    /** The key under which errors are counted: the status, or the failure kind. */
    public String label() {
        return status > 0 ? Integer.toString(status) : failure;
    }
}
