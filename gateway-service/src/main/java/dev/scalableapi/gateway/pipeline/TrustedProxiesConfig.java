package dev.scalableapi.gateway.pipeline;

import io.smallrye.config.ConfigMapping;
import java.util.List;

/**
 * Peers whose {@code X-Forwarded-For} is believed (the ingress controller), as IPs or CIDR ranges.
 * <p>
 * A knob without {@code @WithDefault} is set from an environment variable of its own (README's settings table) and
 * takes its default in {@code application.properties}, beside that variable: {@code ${VAR:default}}.
 */
@ConfigMapping(prefix = "gateway.trusted-proxies")
public interface TrustedProxiesConfig {

    List<String> cidrs();
}
