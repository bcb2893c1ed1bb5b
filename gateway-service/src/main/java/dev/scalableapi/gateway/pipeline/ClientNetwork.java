package dev.scalableapi.gateway.pipeline;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The unit a per-client limit counts: an IPv4 address as it is, an IPv6 address as its /64. One IPv6 subscriber
 * (a home, a cloud VM) is routinely given a whole /64 and picks addresses in it freely, so counting single IPv6
 * addresses would hand every client 2^64 budgets.
 */
public final class ClientNetwork {

    private ClientNetwork() {
    }

    /** {@code 203.0.113.9} → itself; {@code 2001:db8:1:2:aa:bb:cc:dd} → {@code 2001:db8:1:2::/64}; null → null. */
    public static String of(String ip) {
        if (ip == null || ip.indexOf(':') < 0) {
            return ip;
        }
        InetAddress address;
        try {
            // an IP literal (it has a colon): parsed, never looked up
            address = InetAddress.getByName(ip);
        } catch (UnknownHostException | SecurityException e) {
            return ip;
        }
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress(); // an IPv4-mapped address is the IPv4 client
        }
        byte[] bytes = address.getAddress();
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }
}
