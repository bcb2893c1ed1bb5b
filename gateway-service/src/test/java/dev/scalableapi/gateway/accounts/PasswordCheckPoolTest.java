package dev.scalableapi.gateway.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Metrics;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * bcrypt runs on a bounded pool: with one thread and a queue of one, a burst of sign-ins (on different accounts
 * and addresses, so the throttle lets them all through) gets 503 {@code OVERLOADED} with {@code Retry-After: 1}
 * for what does not fit, at once, and such an unchecked attempt is not counted against its account.
 */
@QuarkusTest
@TestProfile(PasswordCheckPoolTest.OnePasswordCheckAtATime.class)
class PasswordCheckPoolTest {

    /** Slow checks (unknown emails are checked against the dummy hash at this cost) on a pool of one. */
    public static class OnePasswordCheckAtATime implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.accounts.password-checks.threads", "1",
                    "gateway.accounts.password-checks.queue", "1",
                    "gateway.accounts.bcrypt-cost", "12");
        }
    }

    @Inject
    LoginThrottle throttle;

    @Inject
    RedisDataSource redis;

    @TestHTTPResource("/api/v1/auth/login")
    URI authLogin;

    @Test
    void aFullQueueAnswers503AtOnceAndCountsNothing() throws Exception {
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            emails.add("burst-" + i + "-" + UUID.randomUUID() + "@test.invalid");
        }
        double checksBefore = Metrics.value("gateway_login_password_checks_total");
        double rejectedBefore = Metrics.value("gateway_login_password_checks_rejected_total");

        List<ParallelLogins.Answer> answers = ParallelLogins.send(authLogin, emails.size(),
                i -> new ParallelLogins.Attempt(emails.get(i), "guess", TestKeys.uniqueIp()));

        long checked = answers.stream().filter(a -> a.status() == 401).count();
        List<Integer> overloaded = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            ParallelLogins.Answer answer = answers.get(i);
            if (answer.status() == 401) {
                continue;
            }
            assertEquals(503, answer.status(), answer.body().encode());
            assertEquals("OVERLOADED", answer.code());
            assertEquals("1", answer.retryAfter());
            overloaded.add(i);
        }
        assertTrue(!overloaded.isEmpty(), "30 slow checks at once on a pool of one thread and one queued");
        assertEquals((double) checked, Metrics.value("gateway_login_password_checks_total") - checksBefore);
        assertEquals((double) overloaded.size(),
                Metrics.value("gateway_login_password_checks_rejected_total") - rejectedBefore);
        for (int i : overloaded) {
            assertEquals(0L, redis.value(Long.class).get(throttle.accountKey(emails.get(i))),
                    "an unchecked attempt gives its reservation back");
        }
    }
}
