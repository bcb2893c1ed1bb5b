package dev.scalableapi.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A port where nothing listens, held for as long as a test needs it: a socket bound there without listening, so
 * connections to it are refused and nothing else can take it. A port that was merely free a moment ago can be
 * taken meanwhile: a gateway under test once got it as its own random management port and proxied to that.
 */
final class AbsentUpstream implements AutoCloseable {

    private final Socket bound = new Socket();

    AbsentUpstream() {
        try {
            bound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * As a balancer URL, its health port included: the default health port (9000) is a local {@code scripts/run}
     * balancer's, which would answer ready.
     */
    String asBalancer() {
        return "http://127.0.0.1:" + bound.getLocalPort() + ";health-port=" + bound.getLocalPort();
    }

    @Override
    public void close() {
        try {
            bound.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
