package dev.scalableapi.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for a packaged service: listens on {@code $PORT} (or {@code -Dquarkus.http.port}), is ready at
 * once on {@code $MANAGEMENT_PORT} ({@code /q/health/ready}), and answers {@code /property/<name>} with that system property; with {@code FAKE_EXIT} set it logs and
 * exits with that code instead.
 */
public final class FakeService {

    public static void main(String[] args) throws IOException {
        String exit = System.getenv("FAKE_EXIT");
        if (exit != null) {
            System.out.println("failing on purpose");
            System.exit(Integer.parseInt(exit));
        }
        String port = System.getenv().getOrDefault("PORT", System.getProperty("quarkus.http.port"));
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port)), 0);
        server.createContext("/property/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/property/".length());
            answer(exchange, 200, String.valueOf(System.getProperty(name)));
        });
        server.start();
        HttpServer management = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                Integer.parseInt(System.getenv("MANAGEMENT_PORT"))), 0);
        management.createContext("/q/health/ready", exchange -> answer(exchange, 200, "UP"));
        management.start();
        System.out.println("listening on " + port);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
