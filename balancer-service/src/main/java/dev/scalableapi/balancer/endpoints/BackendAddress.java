package dev.scalableapi.balancer.endpoints;

import java.net.URI;

/** One upstream host and its weight; the id ({@code host:port}) names it in metrics and status. */
public record BackendAddress(String host, int port, int weight) {

    public BackendAddress {
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be ≥ 1");
        }
    }

    public String id() {
        return host + ":" + port;
    }

    /** {@code http://host:port} or {@code http://host:port;weight=3}. */
    public static BackendAddress parse(String spec) {
        String[] parts = spec.trim().split(";");
        URI uri = URI.create(parts[0].trim());
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("backend must look like http://host:port, got '" + spec + "'");
        }
        int weight = 1;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("weight")) {
                weight = Integer.parseInt(kv[1].trim());
            } else {
                throw new IllegalArgumentException("unknown backend option '" + parts[i] + "' in '" + spec + "'");
            }
        }
        return new BackendAddress(uri.getHost(), uri.getPort(), weight);
    }
}
