package dev.scalableapi.gateway.requestlog;

import jakarta.inject.Singleton;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides, on the request's thread, whether a finished request's row is stored: every 4xx and 5xx (and 499), and
 * the {@code sample-rate} fraction of the rest, each request drawn independently. Counts the ones left out.
 */
@Singleton
public class RequestLogSampler {

    private final double rate;
    private final RequestLogMetrics metrics;

    /** A singleton, so that a rate outside 0..1 fails at startup (the filter is built then), not at a request. */
    RequestLogSampler(RequestLogConfig config, RequestLogMetrics metrics) {
        this.rate = config.sampleRate();
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException(
                    "gateway.requestlog.sample-rate must be between 0.0 and 1.0, was " + rate);
        }
        this.metrics = metrics;
    }

    boolean stores(int status) {
        if (status >= 400 || rate >= 1.0 || ThreadLocalRandom.current().nextDouble() < rate) {
            return true;
        }
        metrics.sampledOut();
        return false;
    }
}
