package dev.scalableapi.api.instance;

import io.smallrye.config.ConfigMapping;

/** Identity of this replica ({@code INSTANCE_ID}, defaulting to the host name, i.e. the pod name). */
@ConfigMapping(prefix = "api.instance")
public interface InstanceConfig {

    String id();
}
