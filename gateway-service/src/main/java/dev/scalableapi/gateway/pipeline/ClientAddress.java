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
    /** The IPv4 ranges of {@link #trusted} again, as network and mask ints for the per-request check. */
    private final long[] trustedV4;
    private final long[] trustedV4Masks;

    ClientAddress(TrustedProxiesConfig config) {
        for (String cidr : config.cidrs()) {
            if (!cidr.isBlank()) {
                trusted.add(parse(cidr.trim()));
            }
        }
        List<Cidr> v4 = trusted.stream().filter(c -> c.bytes() == 4).toList();
        trustedV4 = v4.stream().mapToLong(c -> c.network().longValue()).toArray();
        trustedV4Masks = v4.stream().mapToLong(c -> c.mask().longValue()).toArray();
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
        // Asked for the TCP peer of every request: a dotted quad is matched as an int, without parsing objects.
        long v4 = ipv4(ip);
        if (v4 >= 0) {
            for (int i = 0; i < trustedV4.length; i++) {
                if ((v4 & trustedV4Masks[i]) == trustedV4[i]) {
                    return true;
                }
            }
            return false;
        }
        InetAddress address = literal(ip);
        return address != null && trusted.stream().anyMatch(c -> c.contains(address));
    }

    /** A strict dotted quad (no leading zeros, as {@link #IPV4}) as an unsigned 32-bit value, else -1. */
    static long ipv4(String s) {
        if (s == null) {
            return -1;
        }
        int length = s.length();
        long value = 0;
        int octet = -1;
        int digits = 0;
        int dots = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits > 0 && octet == 0) {
                    return -1; // leading zero
                }
                octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
                if (++digits > 3 || octet > 255) {
                    return -1;
                }
            } else if (c == '.' && digits > 0 && dots < 3) {
                value = (value << 8) | octet;
                octet = -1;
                digits = 0;
                dots++;
            } else {
                return -1;
            }
        }
        return dots == 3 && digits > 0 ? (value << 8) | octet : -1;
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
