package dev.scalableapi.api.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP proxy on 127.0.0.1 in front of a real server, for fault injection on the network path: {@link #cut()}
 * closes the listener and resets every open connection (clients see "connection reset", then "connection
 * refused"), {@link #restore()} listens again on the same port; {@link #freeze()} holds every byte in both directions
 * with the connections left open (a hung server, a partitioned path), {@link #freezeBefore(String)} does so from the
 * first client chunk that holds a marker (that chunk held too), and {@link #thaw()} lets the held bytes go on.
 * Blocking sockets, two pump threads per connection: plenty for a database pool and a Redis client.
 */
public final class TcpProxy implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final String name;
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private ServerSocket server;
    private final Object frozenLock = new Object();
    private boolean frozen;
    private String freezeMarker;

    private TcpProxy(String name, String targetHost, int targetPort, ServerSocket server) {
        this.name = name;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = server.getLocalPort();
        this.server = server;
        acceptLoop(server, generation.get());
    }

    /** Starts a proxy on a free loopback port forwarding to {@code targetHost:targetPort}. */
    public static TcpProxy start(String name, String targetHost, int targetPort) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(LOOPBACK, 0));
            return new TcpProxy(name, targetHost, targetPort, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return LOOPBACK.getHostAddress();
    }

    /** Connections accepted since start, for tests that want to prove traffic went through the proxy. */
    public int acceptedConnections() {
        return accepted.get();
    }

    public synchronized boolean isCut() {
        return server == null;
    }

    /** Stops listening and resets every open connection. Idempotent. */
    public synchronized void cut() {
        generation.incrementAndGet();
        if (server != null) {
            closeQuietly(server);
            server = null;
        }
        for (Socket socket : open) {
            reset(socket);
        }
        open.clear();
        thaw(); // held bytes now meet closed sockets
    }

    /** Holds every byte from now on, both ways, until {@link #thaw()}; connections stay open. */
    public void freeze() {
        synchronized (frozenLock) {
            frozen = true;
        }
    }

    /** Freezes as a client chunk containing {@code marker} (ASCII, any case) is about to be forwarded, holding it. */
    public void freezeBefore(String marker) {
        synchronized (frozenLock) {
            freezeMarker = marker.toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean isFrozen() {
        synchronized (frozenLock) {
            return frozen;
        }
    }

    /** Forwards what was held and everything after it. Idempotent. */
    public void thaw() {
        synchronized (frozenLock) {
            frozen = false;
            freezeMarker = null;
            frozenLock.notifyAll();
        }
    }

    /** Listens again on the same port, and thaws. Idempotent. */
    public synchronized void restore() {
        thaw();
        if (server != null) {
            return;
        }
        try {
            ServerSocket again = new ServerSocket();
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(LOOPBACK, port));
            server = again;
            acceptLoop(again, generation.get());
        } catch (IOException e) {
            throw new UncheckedIOException("Proxy " + name + " could not listen again on " + port, e);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private void acceptLoop(ServerSocket listener, int gen) {
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    accepted.incrementAndGet();
                    connect(client, gen);
                } catch (IOException e) {
                    // listener closed by cut(); the loop ends
                }
            }
        }, "tcp-proxy-" + name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void connect(Socket client, int gen) {
        Thread connector = new Thread(() -> {
            Socket upstream = new Socket();
            try {
                open.add(client);
                open.add(upstream);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 2000);
                if (generation.get() != gen) {
                    throw new SocketException("cut while connecting");
                }
                pump(client, upstream, "up");
                pump(upstream, client, "down");
            } catch (IOException e) {
                reset(client);
                reset(upstream);
            }
        }, "tcp-proxy-" + name + "-connect");
        connector.setDaemon(true);
        connector.start();
        // A cut() racing with this accept must not leave the connection open.
        if (generation.get() != gen) {
            reset(client);
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    holdWhileFrozen(direction, buffer, n);
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // reset or closed: tear both sides down below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-" + name + "-" + direction);
        pump.setDaemon(true);
        pump.start();
    }

    private void holdWhileFrozen(String direction, byte[] chunk, int length) throws IOException {
        synchronized (frozenLock) {
            if (freezeMarker != null && direction.equals("up") && new String(chunk, 0, length,
                    java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT).contains(freezeMarker)) {
                frozen = true;
                freezeMarker = null;
            }
            while (frozen) {
                try {
                    frozenLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while frozen", e);
                }
            }
        }
    }

    /** Close with SO_LINGER 0: the peer gets an RST, as when a server dies or a network path breaks. */
    private static void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // closing below anyway
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[" + name + " 127.0.0.1:" + port + " -> " + targetHost + ":" + targetPort + "]";
    }
}
