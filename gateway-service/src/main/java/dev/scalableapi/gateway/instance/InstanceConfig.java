package dev.scalableapi.gateway.instance;

import io.smallrye.config.ConfigMapping;

/** Identity of this gateway replica ({@code INSTANCE_ID}, defaulting to the host name, i.e. the pod name). */
@ConfigMapping(prefix = "gateway.instance")
public interface InstanceConfig {

    String id();
}
