package dev.scalableapi.gateway.pipeline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** Peers whose {@code X-Forwarded-For} is believed (the ingress controller), as IPs or CIDR ranges. */
@ConfigMapping(prefix = "gateway.trusted-proxies")
public interface TrustedProxiesConfig {

    @WithDefault("127.0.0.1/32,::1/128")
    List<String> cidrs();
}
