package dev.scalableapi.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Publishes {@code http_server_requests_seconds} as a Prometheus histogram (buckets), so p50/p95/p99 can be
 * computed fleet-wide with {@code histogram_quantile} instead of per-pod summaries that cannot be merged.
 */
public class HttpLatencyHistograms {

    @Produces
    @Singleton
    MeterFilter httpServerHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().startsWith("http.server.requests")) {
                    return DistributionStatisticConfig.builder()
                            .percentilesHistogram(true)
                            .minimumExpectedValue(1.0e6)
                            .maximumExpectedValue(30.0e9)
                            .build()
                            .merge(config);
                }
                return config;
            }
        };
    }
}
