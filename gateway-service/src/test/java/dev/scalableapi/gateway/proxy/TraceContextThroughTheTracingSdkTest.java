package dev.scalableapi.gateway.proxy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** The trace-context cases with the OpenTelemetry SDK on (operators exporting traces): its client writes the header. */
@QuarkusTest
@TestProfile(TraceContextThroughTheTracingSdkTest.WithTheTracingSdk.class)
class TraceContextThroughTheTracingSdkTest extends TraceContextIsPropagatedTest {

    public static class WithTheTracingSdk extends WithUpstream {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false");
        }
    }
}
