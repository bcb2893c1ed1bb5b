package dev.scalableapi.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports for the servers tests start: services, private Redis servers. */
public final class FreePorts {

    /** Ports handed out in this JVM, never given twice (a stopped server's port may still linger). */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /**
     * A port no other caller got and nothing listens on, below Linux's ephemeral range (32768-60999): a port the
     * kernel hands out (port 0) can be taken by any outgoing connection (PostgreSQL, Redis, HTTP clients)
     * between this check and the server binding it, which failed launches now and then.
     */
    public static int take() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (!HANDED_OUT.add(candidate)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(candidate));
                return candidate;
            } catch (IOException inUse) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }
}
