package dev.scalableapi.balancer.health;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

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
class TakesBackendsOutOfRotationTest {

    @BeforeEach
    void cleanSlate() {
        Lb.awaitCleanSlate();
    }

    @Test
    void aBackendKilledUnderLoadCostsNoClientErrorsAndRejoinsAfterRestart() {
        TestBackend victim = Backends.get(2);
        try (Load load = Load.start(6, "/api/v1/status")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.servedBy(victim.name()) >= 20);

            victim.kill();
            await("killed backend taken out of rotation").atMost(Duration.ofSeconds(5))
                    .until(() -> !Lb.healthy(victim) || "OPEN".equals(Lb.breaker(victim)));
            long servedWhileDead = load.servedBy(victim.name());
            long completedWhileDead = load.completed();
            await("traffic continues on the others").atMost(Duration.ofSeconds(10))
                    .until(() -> load.completed() >= completedWhileDead + 100);
            assertThat("a dead backend serves nothing", load.servedBy(victim.name()), equalTo(servedWhileDead));

            victim.start();
            await("restarted backend healthy with a closed breaker").atMost(Duration.ofSeconds(10))
                    .until(() -> Lb.healthy(victim) && "CLOSED".equals(Lb.breaker(victim)));
            await("restarted backend gets traffic again").atMost(Duration.ofSeconds(10))
                    .until(() -> load.servedBy(victim.name()) >= servedWhileDead + 20);

            load.stop();
            assertThat("client-visible errors", load.errors(), empty());
            assertThat(load.status(200), equalTo(load.completed()));
        }
    }

    @Test
    void aDrainingBackendIsTakenOutOfRotationByActiveHealthChecks() throws Exception {
        TestBackend draining = Backends.get(3);
        draining.drain(true);
        await("draining backend marked unhealthy").atMost(Duration.ofSeconds(5)).until(() -> !Lb.healthy(draining));
        assertThat((String) Lb.status(draining).get("lastHealthError"), equalTo("status 503"));
        assertThat("no ejection needed: the breaker stays closed", Lb.breaker(draining), equalTo("CLOSED"));

        try (Load load = Load.run(8, 150, "/api/v1/status")) {
            assertThat(load.errors(), empty());
            assertThat("requests per backend: " + load.servedByAll(), load.servedBy(draining.name()), equalTo(0L));
        }
        assertThat("its API was never called while out of rotation", draining.apiRequests(), equalTo(0));

        draining.drain(false);
        await("back in rotation once ready").atMost(Duration.ofSeconds(5)).until(() -> Lb.healthy(draining));
        try (Load load = Load.run(8, 150, "/api/v1/status")) {
            assertThat(load.errors(), empty());
            assertThat("requests per backend: " + load.servedByAll(), load.servedBy(draining.name()),
                    greaterThan(0L));
        }
    }
}
