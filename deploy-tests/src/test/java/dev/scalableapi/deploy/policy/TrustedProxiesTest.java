package dev.scalableapi.deploy.policy;

import static dev.scalableapi.deploy.support.Manifest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway believes {@code X-Forwarded-For} only from peers an operator named (issue 14, point 6): no install
 * trusts the private ranges wholesale, the default trusts loopback only, and a configured range is used as given.
 */
class TrustedProxiesTest {

    private static final List<String> PRIVATE_RANGES = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");

    static Stream<Manifest> manifests() {
        return Renders.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void noInstallTrustsThePrivateRangesWholesale(Manifest manifest) {
        String trusted = trustedProxies(manifest);
        PRIVATE_RANGES.forEach(range -> assertFalse(List.of(trusted.split(",")).contains(range),
                manifest.name() + " trusts " + range + ": " + trusted));
    }

    @Test
    void byDefaultOnlyLoopbackIsTrusted() {
        assertEquals("127.0.0.1/32,::1/128", trustedProxies(Renders.chartDefaults()));
    }

    @Test
    void theIngressControllersRangeIsUsedAsGiven() {
        assertEquals("10.42.0.0/16", trustedProxies(Renders.chartProduction()));
        assertEquals("10.42.0.0/16", trustedProxies(Renders.overlay("prod")));
    }

    private static String trustedProxies(Manifest manifest) {
        Map<String, Object> container = Manifest.containers(
                Manifest.podSpec(PlatformShapeTest.deployment(manifest, "gateway")).orElseThrow()).get(0);
        String configMap = String.valueOf(at(Manifest.list(container.get("envFrom")).get(0), "configMapRef.name"));
        return Manifest.stringMap(manifest.get("ConfigMap", configMap).get("data")).get("TRUSTED_PROXIES");
    }
}
