package dev.scalableapi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The original system's {@code .env} names — {@code GATEWAY_PORT}, {@code RATE_LIMIT_WINDOW_MS} (milliseconds) and
 * {@code RATE_LIMIT_MAX_REQUESTS} — configure the gateway's port, the limiter's window and the anonymous tier's
 * limit; our own names ({@code PORT}, {@code GATEWAY_RATELIMIT_WINDOW}, {@code GATEWAY_RATELIMIT_TIERS_ANONYMOUS})
 * win when both are set. Resolved by SmallRye Config as the gateway resolves them: application.properties under
 * the environment, outside any profile (as in production). {@code OriginalRateLimitNamesSetTheAnonymousLimitTest}
 * shows the running gateway obeying them.
 */
class TheOriginalSystemsSettingNamesStillWorkTest {

    @Test
    void withNeitherNameTheDefaultsHold() throws IOException {
        SmallRyeConfig config = config(Map.of());
        assertEquals(8080, config.getValue("quarkus.http.port", Integer.class));
        assertEquals(Duration.ofSeconds(60), config.getValue("gateway.ratelimit.window", Duration.class));
        assertEquals(Optional.empty(), config.getOptionalValue("gateway.ratelimit.tiers.anonymous", Integer.class));
    }

    @Test
    void theOriginalNamesAloneConfigureTheGateway() throws IOException {
        SmallRyeConfig config = config(Map.of("GATEWAY_PORT", "18080", "RATE_LIMIT_WINDOW_MS", "900000",
                "RATE_LIMIT_MAX_REQUESTS", "50"));
        assertEquals(18080, config.getValue("quarkus.http.port", Integer.class));
        assertEquals(Duration.ofMinutes(15), config.getValue("gateway.ratelimit.window", Duration.class));
        assertEquals(Optional.of(50), config.getOptionalValue("gateway.ratelimit.tiers.anonymous", Integer.class));
    }

    @Test
    void ourNamesWinWhenBothAreSet() throws IOException {
        SmallRyeConfig config = config(Map.of("GATEWAY_PORT", "18080", "PORT", "9999",
                "RATE_LIMIT_WINDOW_MS", "900000", "GATEWAY_RATELIMIT_WINDOW", "30s",
                "RATE_LIMIT_MAX_REQUESTS", "50", "GATEWAY_RATELIMIT_TIERS_ANONYMOUS", "7"));
        assertEquals(9999, config.getValue("quarkus.http.port", Integer.class));
        assertEquals(Duration.ofSeconds(30), config.getValue("gateway.ratelimit.window", Duration.class));
        assertEquals(Optional.of(7), config.getOptionalValue("gateway.ratelimit.tiers.anonymous", Integer.class));
    }

    private static SmallRyeConfig config(Map<String, String> environment) throws IOException {
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(
                        Path.of("src/main/resources/application.properties").toUri().toURL(), 250))
                .withSources(new EnvConfigSource(environment, 300))
                .withConverter(Duration.class, 200, new DurationConverter())
                .build();
    }
}
