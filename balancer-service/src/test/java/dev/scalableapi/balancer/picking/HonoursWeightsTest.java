package dev.scalableapi.balancer.picking;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;

import dev.scalableapi.balancer.endpoints.BackendAddress;
import dev.scalableapi.balancer.endpoints.BackendPool;
import dev.scalableapi.balancer.support.Backends;
import dev.scalableapi.balancer.support.Lb;
import dev.scalableapi.balancer.support.Load;
import dev.scalableapi.balancer.support.TestBackend;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Weights as discovery reports them ({@code http://host:port;weight=N}); the pool is re-weighted in place. */
@QuarkusTest
@WithTestResource(Backends.class)
class HonoursWeightsTest {

    @Inject
    BackendPool pool;

    @BeforeEach
    void cleanSlate() {
        Lb.awaitCleanSlate();
    }

    @AfterEach
    void restoreEqualWeights() {
        pool.replace(Backends.all().stream().map(b -> new BackendAddress("127.0.0.1", b.port(), 1, b.managementPort()))
                .toList());
    }

    @Test
    void aBackendWithThreeTimesTheWeightGetsMostRequestsEvenWithoutConcurrency() {
        List<TestBackend> backends = Backends.all();
        pool.replace(backends.stream()
                .map(b -> new BackendAddress("127.0.0.1", b.port(), b.name().equals("b1") ? 3 : 1,
                        b.managementPort())).toList());
        int total = 250;
        try (Load load = Load.run(1, total, "/api/v1/status")) {
            assertThat(load.errors(), empty());
            double heavy = (double) load.servedBy("b1") / total;
            // 3 / (3 + 1 + 1) = 60 % expected; without weights it would be a third.
            assertThat("share of the weight-3 backend in " + load.servedByAll(), heavy, greaterThan(0.48));
            assertThat(load.servedBy("b2"), greaterThan(0L));
            assertThat(load.servedBy("b3"), greaterThan(0L));
        }
    }
}
