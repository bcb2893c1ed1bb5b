package dev.scalableapi.bench.load;

/**
 * What became of one request. {@code status} is 0 when no response came ({@code failure} says why:
 * {@code connect-error}, {@code timeout}, {@code closed}, {@code io-error}, {@code client-overflow}).
 * {@code latencyNanos} runs from the intended send time, so a stalled server is charged for the queue it caused.
 * {@code errorCode}: the stable code of an error envelope, when the response was one.
 */
public record Outcome(Call call, int status, String failure, String cache, String body, long intendedNanos,
        long completedNanos, long latencyNanos, String errorCode) {

    public boolean ok() {
        return status >= 200 && status < 400;
    }

    /** The key under which outcomes are counted: the status (with the envelope's code on errors), or the failure. */
    public String label() {
        if (status == 0) {
            return failure;
        }
        return errorCode == null ? Integer.toString(status) : status + " " + errorCode;
    }
}
