package dev.scalableapi.systemtests.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * HTTP/1.1 over a plain socket, one connection per request: bytes go out exactly as given (odd methods, raw
 * invalid UTF-8, un-normalised paths, any header), which an HTTP client library would refuse or repair.
 */
public final class RawHttp {

    /**
     * A request as bytes on the wire. Header values and the target may hold any bytes; a CR or LF in a header value
     * is sent as it is (folded or header-less lines on purpose). The client adds Host, {@code Connection: close} and,
     * for a body, Content-Length, unless the request frames its body itself.
     */
    public record Request(String method, byte[] target, List<Map.Entry<String, byte[]>> headers, byte[] body) {

        public static Request of(String method, String target, byte[] body, String... headerPairs) {
            List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
            for (int i = 0; i < headerPairs.length; i += 2) {
                headers.add(Map.entry(headerPairs[i], headerPairs[i + 1].getBytes(StandardCharsets.UTF_8)));
            }
            return new Request(method, target.getBytes(StandardCharsets.UTF_8), headers, body);
        }

        public Request with(String name, byte[] value) {
            List<Map.Entry<String, byte[]>> more = new ArrayList<>(headers);
            more.add(Map.entry(name, value));
            return new Request(method, target, more, body);
        }

        /** A request that sets Content-Length or Transfer-Encoding itself is sent with exactly those (or no) framing headers. */
        boolean framesItsOwnBody() {
            return headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Content-Length")
                    || h.getKey().equalsIgnoreCase("Transfer-Encoding"));
        }

        public String describe() {
            return method + " " + new String(target, StandardCharsets.ISO_8859_1) + " headers="
                    + headers.stream().map(h -> h.getKey() + ":" + abbreviate(new String(h.getValue(),
                            StandardCharsets.ISO_8859_1))).toList()
                    + " body=" + (body == null ? "none" : abbreviate(new String(body, StandardCharsets.ISO_8859_1)));
        }
    }

    /** {@code status} 0: the server closed the connection without a response. */
    public record Response(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static final AtomicLong SENT = new AtomicLong();

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /** Requests really sent by every client in this JVM. */
    public static long sent() {
        return SENT.get();
    }

    public Response send(Request request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes(request.method().getBytes(StandardCharsets.ISO_8859_1));
            head.write(' ');
            head.writeBytes(request.target());
            head.writeBytes(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII));
            for (var header : request.headers()) {
                head.writeBytes(header.getKey().getBytes(StandardCharsets.ISO_8859_1));
                head.writeBytes(": ".getBytes(StandardCharsets.US_ASCII));
                head.writeBytes(header.getValue());
                head.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            if (request.body() != null && !request.framesItsOwnBody()) {
                head.writeBytes(("Content-Length: " + request.body().length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            head.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            SENT.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toByteArray());
                if (request.body() != null) {
                    out.write(request.body());
                }
                out.flush();
            } catch (IOException refusedMidway) {
                // the server may answer (413, 431) and close before reading everything: read what it said
            }
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("request failed: " + request.describe(), e);
        }
    }

    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[16_384];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (IOException resetAfterResponse) {
            // a reset after the response was written still leaves the response readable
        }
        return bytes.toByteArray();
    }

    static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Response(0, Map.of(), text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        if (status >= 100 && status < 200 && status != 101) {
            // an interim response (100 Continue to an Expect header): the final one follows it
            return parse(java.util.Arrays.copyOfRange(raw, end + 4, raw.length));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        body = decode(headers.get("content-encoding"), body);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Undoes the compression a client asked for with Accept-Encoding, as any HTTP client would. */
    private static byte[] decode(String contentEncoding, byte[] body) {
        if (contentEncoding == null || body.length == 0) {
            return body;
        }
        try {
            return switch (contentEncoding.trim().toLowerCase(Locale.ROOT)) {
                case "gzip", "x-gzip" -> new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
                case "deflate" -> new InflaterInputStream(new ByteArrayInputStream(body)).readAllBytes();
                default -> body;
            };
        } catch (IOException notCompressedAfterAll) {
            return body;
        }
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int lineEnd = indexOf(body, at);
            if (lineEnd < 0) {
                break;
            }
            String sizeLine = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                break;
            }
            out.write(body, lineEnd + 2, Math.min(size, body.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…(" + text.length() + " chars)";
    }
}
