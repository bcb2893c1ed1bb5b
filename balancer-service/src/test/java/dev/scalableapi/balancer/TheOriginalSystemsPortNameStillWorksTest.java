package dev.scalableapi.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The original system's {@code LB_PORT} sets the balancer's port; our {@code PORT} wins when both are set.
 * Resolved by SmallRye Config as the balancer resolves it: application.properties under the environment, outside
 * any profile (as in production).
 */
class TheOriginalSystemsPortNameStillWorksTest {

    @Test
    void lbPortSetsThePortAndPortWins() throws IOException {
        assertEquals(3000, port(Map.of()));
        assertEquals(13000, port(Map.of("LB_PORT", "13000")));
        assertEquals(9999, port(Map.of("LB_PORT", "13000", "PORT", "9999")));
    }

    private static int port(Map<String, String> environment) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(
                        Path.of("src/main/resources/application.properties").toUri().toURL(), 250))
                .withSources(new EnvConfigSource(environment, 300))
                .build();
        return config.getValue("quarkus.http.port", Integer.class);
    }
}
