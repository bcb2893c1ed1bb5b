package dev.scalableapi.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.ChartUnderTest;
import dev.scalableapi.deploy.support.Manifest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code tracing.*}: off, the chart sets no OpenTelemetry variable (the services' default: SDK off, traceparent still
 * continued); on, the gateway and api-service export over OTLP with parent-based ratio sampling. The balancer has
 * no tracing SDK and gets nothing.
 */
class TracingValuesTest {

    static final List<String> TRACED = List.of("gateway", "api");

    @Test
    void offByDefaultTheServicesKeepTheirOwnSettings() {
        Manifest defaults = Manifest.of("defaults", ChartUnderTest.render(null, Map.of()));
        for (String component : List.of("gateway", "balancer", "api")) {
            var otel = ChartMatchesServiceConfigTest.environment(defaults, component).keySet().stream()
                    .filter(name -> name.startsWith("OTEL_")).collect(Collectors.toList());
            assertTrue(otel.isEmpty(), component + " got " + otel);
        }
    }

    @Test
    void onTheGatewayAndApiExportTheirSampledTraces() {
        Manifest traced = Manifest.of("tracing", ChartUnderTest.render(null, Map.of("tracing.enabled", "true",
                "tracing.otlpEndpoint", "http://collector.tracing:4317", "tracing.sampleRatio", "0.25")));
        for (String component : TRACED) {
            Map<String, String> env = ChartMatchesServiceConfigTest.environment(traced, component);
            assertEquals("false", env.get("OTEL_SDK_DISABLED"), component);
            assertEquals("otlp", env.get("OTEL_TRACES_EXPORTER"), component);
            assertEquals("http://collector.tracing:4317", env.get("OTEL_EXPORTER_OTLP_ENDPOINT"), component);
            assertEquals("parentbased_traceidratio", env.get("OTEL_TRACES_SAMPLER"), component);
            assertEquals("0.25", env.get("OTEL_TRACES_SAMPLER_ARG"), component);
        }
        assertTrue(ChartMatchesServiceConfigTest.environment(traced, "balancer").keySet().stream()
                .noneMatch(name -> name.startsWith("OTEL_")));
    }
}
