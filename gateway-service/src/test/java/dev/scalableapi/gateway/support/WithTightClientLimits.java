package dev.scalableapi.gateway.support;

import java.util.Map;

/**
 * {@link WithEchoUpstream}, with per-client limits small enough to reach in a test: 3 anonymous calls a minute,
 * and a failed-credential window longer than any test, so that counts do not depend on how fast the machine sends.
 */
public class WithTightClientLimits extends WithEchoUpstream {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gateway.auth.failed-credentials-window", "1h", "gateway.ratelimit.tiers.anonymous", "3");
    }
}
