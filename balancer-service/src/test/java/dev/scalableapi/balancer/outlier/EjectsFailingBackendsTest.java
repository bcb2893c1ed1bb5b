package dev.scalableapi.balancer.outlier;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.scalableapi.balancer.support.Backends;
import dev.scalableapi.balancer.support.Lb;
import dev.scalableapi.balancer.support.Load;
import dev.scalableapi.balancer.support.TestBackend;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(Backends.class)
class EjectsFailingBackendsTest {

    @BeforeEach
    void cleanSlate() {
        Lb.awaitCleanSlate();
    }

    @Test
    void aBackendAnswering503IsEjectedWhileClientsSeeNoErrorsAndIsReadmittedAfterATrial() throws Exception {
        TestBackend failing = Backends.get(1);
        failing.failApiWith(503);
        String ejected = "balancer_backend_ejected";
        String label = "backend=\"" + failing.id() + "\"";
        try (Load load = Load.start(4, "/api/v1/status")) {
            await("breaker opens").atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(Lb.breaker(failing)));
            assertThat("still healthy: only its API fails", Lb.healthy(failing), equalTo(true));
            assertThat(Lb.metric(ejected, label), equalTo(1.0));
            assertThat(Lb.metric("balancer_backend_ejections_total", label), greaterThanOrEqualTo(1.0));
            long before = load.completed();
            await().atMost(Duration.ofSeconds(10)).until(() -> load.completed() >= before + 50);
            load.stop();
            assertThat("idempotent GETs were retried on another backend", load.errors(), empty());
            assertThat(load.status(503), equalTo(0L));
            assertThat("its 503s never reached a client", load.servedBy(failing.name()), equalTo(0L));
        }

        // Recovered but slow: the single trial request keeps it HALF_OPEN long enough to see.
        failing.failApiWith(0).delay(1_500);
        try (Load load = Load.start(3, "/api/v1/status")) {
            await("half-open trial").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "HALF_OPEN".equals(Lb.breaker(failing)));
            assertThat(Lb.metric(ejected, label), equalTo(2.0));
            assertThat("a half-open backend takes one request at a time", ((Number) Lb.status(failing)
                    .get("inFlight")).intValue(), equalTo(1));
            await("closed after a successful trial").atMost(Duration.ofSeconds(10))
                    .until(() -> "CLOSED".equals(Lb.breaker(failing)));
            assertThat(Lb.metric(ejected, label), equalTo(0.0));
            failing.delay(0);
            long served = load.servedBy(failing.name());
            await("readmitted backend gets traffic").atMost(Duration.ofSeconds(10))
                    .until(() -> load.servedBy(failing.name()) >= served + 10);
            load.stop();
            assertThat(load.errors(), empty());
        }
    }

    @Test
    void anExpiredEjectionOfADeadBackendDoesNotUseUpTheEjectionAllowance() {
        // With 3 backends only one may be ejected at a time (10 %, at least one).
        TestBackend dead = Backends.get(3);
        TestBackend failing = Backends.get(1);
        try (Load load = Load.start(4, "/api/v1/status")) {
            dead.kill();
            await("dead backend ejected and unhealthy").atMost(Duration.ofSeconds(5))
                    .until(() -> "OPEN".equals(Lb.breaker(dead)) && !Lb.healthy(dead));
            String until = (String) Lb.status(dead).get("ejectedUntil");
            await("its ejection time is over").atMost(Duration.ofSeconds(5))
                    .until(() -> java.time.Instant.now().isAfter(java.time.Instant.parse(until)));

            failing.failApiWith(503);
            await("a failing backend can still be ejected").atMost(Duration.ofSeconds(5))
                    .until(() -> "OPEN".equals(Lb.breaker(failing)));
            load.stop();
        }
    }

    @Test
    void aFailedTrialEjectsTheBackendAgainForLonger() {
        TestBackend failing = Backends.get(2);
        failing.failApiWith(503);
        try (Load load = Load.start(3, "/api/v1/status")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(Lb.breaker(failing)));
            int first = ((Number) Lb.status(failing).get("ejections")).intValue();
            await("re-ejected after the trial failed").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> ((Number) Lb.status(failing).get("ejections")).intValue() > first);
            // The second ejection in a row lasts 2 × the base ejection time (1 s in tests).
            java.time.Instant until = java.time.Instant.parse((String) Lb.status(failing).get("ejectedUntil"));
            assertThat("remaining ejection after a failed trial (ms)",
                    Duration.between(java.time.Instant.now(), until).toMillis(), greaterThan(1_200L));
            load.stop();
            assertThat(load.errors(), empty());
        }
        assertThat(Lb.breaker(failing), equalTo("OPEN"));
    }
}
