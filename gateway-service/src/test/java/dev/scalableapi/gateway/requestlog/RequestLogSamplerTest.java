package dev.scalableapi.gateway.requestlog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** Which rows the sample rate keeps, and what it counts. */
class RequestLogSamplerTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void rateOneStoresEverything() {
        RequestLogSampler sampler = sampler(1.0);
        for (int status : new int[] {200, 204, 301, 400, 429, 499, 503}) {
            assertTrue(sampler.stores(status), "status " + status);
        }
        assertThat(sampledOut(), equalTo(0.0));
    }

    @Test
    void rateZeroStoresEveryFailureAndNoSuccess() {
        RequestLogSampler sampler = sampler(0.0);
        for (int i = 0; i < 1_000; i++) {
            assertTrue(!sampler.stores(200) && !sampler.stores(302));
            assertTrue(sampler.stores(400) && sampler.stores(404) && sampler.stores(429) && sampler.stores(499)
                    && sampler.stores(500));
        }
        assertThat(sampledOut(), equalTo(2_000.0));
    }

    @Test
    void aFractionalRateStoresAboutThatShareOfSuccesses() {
        RequestLogSampler sampler = sampler(0.25);
        int stored = 0;
        for (int i = 0; i < 20_000; i++) {
            stored += sampler.stores(200) ? 1 : 0;
        }
        // Binomial(20 000, 0.25): mean 5 000, standard deviation about 61; the bounds are 16 deviations away.
        assertThat(stored, allOf(greaterThan(4_000), lessThan(6_000)));
        assertThat(sampledOut(), equalTo(20_000.0 - stored));
    }

    @Test
    void aRateOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> sampler(1.5));
        assertThrows(IllegalArgumentException.class, () -> sampler(-0.1));
        assertThrows(IllegalArgumentException.class, () -> sampler(Double.NaN));
    }

    /** The sampler reads nothing but the rate. */
    private RequestLogSampler sampler(double rate) {
        RequestLogConfig config = (RequestLogConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RequestLogConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sampleRate")) {
                        return rate;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new RequestLogSampler(config, new RequestLogMetrics(registry));
    }

    private double sampledOut() {
        return registry.get(RequestLogMetrics.SAMPLED_OUT).counter().count();
    }
}
