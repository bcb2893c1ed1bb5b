package dev.scalableapi.bench.load;

/** Where requests go: one host and port (HTTP/1.1, keep-alive). */
public record Target(String host, int port) {

    public static Target local(int port) {
        return new Target("127.0.0.1", port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
