package dev.scalableapi.gateway.pipeline;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client's IP for rate limiting and logs. {@code X-Forwarded-For} is believed only when the TCP peer is a
 * trusted proxy; then the right-most address that is not itself a trusted proxy is the client (everything left
 * of it could have been written by the client).
 */
@ApplicationScoped
public class ClientAddress {

    private record Cidr(BigInteger network, BigInteger mask, int bytes) {
        boolean contains(InetAddress address) {
            byte[] raw = address.getAddress();
            return raw.length == bytes && new BigInteger(1, raw).and(mask).equals(network);
        }
    }

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    private final List<Cidr> trusted = new ArrayList<>();

    ClientAddress(TrustedProxiesConfig config) {
        for (String cidr : config.cidrs()) {
            if (!cidr.isBlank()) {
                trusted.add(parse(cidr.trim()));
            }
        }
    }

    public String resolve(RoutingContext rc) {
        String peer = rc.request().remoteAddress() == null ? null : rc.request().remoteAddress().host();
        if (peer == null || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : rc.request().headers().getAll("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!isIpLiteral(hop)) {
                return peer; // garbage in the header: fall back to what we know
            }
            if (!isTrusted(hop)) {
                return unbracketed(hop);
            }
        }
        return hops.isEmpty() ? peer : unbracketed(hops.get(0));
    }

    public boolean isTrusted(String ip) {
        InetAddress address = literal(ip);
        return address != null && trusted.stream().anyMatch(c -> c.contains(address));
    }

    private static boolean isIpLiteral(String candidate) {
        return literal(candidate) != null;
    }

    /** Parses only IP literals (never resolves names). */
    private static InetAddress literal(String candidate) {
        String s = unbracketed(candidate);
        // Only a dotted quad or something with a colon (IPv6): InetAddress would otherwise take legacy forms such
        // as "1.2.3" for addresses and look up hex-looking words ("cafe", "dead.beef") in DNS.
        if (!IPV4.matcher(s).matches() && !(s.indexOf(':') >= 0 && IPV6.matcher(s).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String unbracketed(String hop) {
        return hop.startsWith("[") && hop.endsWith("]") ? hop.substring(1, hop.length() - 1) : hop;
    }

    private static Cidr parse(String cidr) {
        String[] parts = cidr.split("/");
        InetAddress address = literal(parts[0]);
        if (address == null) {
            throw new IllegalArgumentException("trusted proxy must be an IP or CIDR: " + cidr);
        }
        int bytes = address.getAddress().length;
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bytes * 8;
        BigInteger all = BigInteger.ONE.shiftLeft(bytes * 8).subtract(BigInteger.ONE);
        BigInteger mask = all.shiftRight(prefix).xor(all);
        return new Cidr(new BigInteger(1, address.getAddress()).and(mask), mask, bytes);
    }
}
