package dev.scalableapi.api.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.UUID;

/**
 * The test profile under an instance id no other start of the service has used, so what this replica publishes
 * to the fleet's shared Redis keys is told apart from what earlier starts (same namespace) left there.
 */
public class OwnInstanceId implements QuarkusTestProfile {

    private final String id = "api-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("api.instance.id", id);
    }
}
