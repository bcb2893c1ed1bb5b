package dev.scalableapi.balancer.endpoints;

import java.net.URI;

/**
 * One upstream host, its weight and the port its health checks go to (its management port: api-service serves
 * {@code /q/health} there, never on the traffic port); the id ({@code host:port}) names it in metrics and status.
 */
public record BackendAddress(String host, int port, int weight, int healthPort) {

    public BackendAddress {
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be ≥ 1");
        }
        if (healthPort < 1) {
            throw new IllegalArgumentException("health port must be ≥ 1");
        }
    }

    public String id() {
        return host + ":" + port;
    }

    /**
     * {@code http://host:port}, optionally {@code ;weight=3} and {@code ;health-port=9001}; without a health port of
     * its own the backend is checked on {@code defaultHealthPort}, or on its traffic port when that is 0.
     */
    public static BackendAddress parse(String spec, int defaultHealthPort) {
        String[] parts = spec.trim().split(";");
        URI uri = URI.create(parts[0].trim());
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("backend must look like http://host:port, got '" + spec + "'");
        }
        int weight = 1;
        int healthPort = defaultHealthPort > 0 ? defaultHealthPort : uri.getPort();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("weight")) {
                weight = Integer.parseInt(kv[1].trim());
            } else if (kv.length == 2 && kv[0].equals("health-port")) {
                healthPort = Integer.parseInt(kv[1].trim());
            } else {
                throw new IllegalArgumentException("unknown backend option '" + parts[i] + "' in '" + spec + "'");
            }
        }
        return new BackendAddress(uri.getHost(), uri.getPort(), weight, healthPort);
    }
}
