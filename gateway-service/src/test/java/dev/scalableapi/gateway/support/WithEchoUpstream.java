package dev.scalableapi.gateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The test profile with one live {@link EchoUpstream} as the balancer: calls through it answer 200. */
public class WithEchoUpstream implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EchoUpstreamResource.class));
    }
}
