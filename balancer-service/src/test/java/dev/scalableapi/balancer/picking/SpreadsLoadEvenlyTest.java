package dev.scalableapi.balancer.picking;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import dev.scalableapi.balancer.support.Backends;
import dev.scalableapi.balancer.support.Lb;
import dev.scalableapi.balancer.support.Load;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(Backends.class)
class SpreadsLoadEvenlyTest {

    @BeforeEach
    void cleanSlate() {
        Lb.awaitCleanSlate();
    }

    @Test
    void equalBackendsEachGetLessThanFortyPercentOfConcurrentRequests() {
        int total = 600;
        try (Load load = Load.run(16, total, "/api/v1/status")) {
            assertThat("client-visible errors", load.errors(), empty());
            assertThat(load.status(200), equalTo((long) total));
            for (var backend : Backends.all()) {
                long served = load.servedBy(backend.name());
                assertThat("share of " + backend.name() + " in " + load.servedByAll(), served, greaterThan(0L));
                assertThat("share of " + backend.name() + " in " + load.servedByAll(), served,
                        lessThan((long) (total * 0.40)));
            }
        }
    }

    @Test
    void aSlowBackendReceivesClearlyFewerRequestsThanTheFastOnes() {
        Backends.get(1).delay(150);
        try (Load load = Load.run(16, 450, "/api/v1/status")) {
            assertThat("client-visible errors", load.errors(), empty());
            long slow = load.servedBy("b1");
            long fastest = Math.min(load.servedBy("b2"), load.servedBy("b3"));
            assertThat("requests served per backend: " + load.servedByAll(), slow, lessThan(fastest / 2));
        }
    }
}
