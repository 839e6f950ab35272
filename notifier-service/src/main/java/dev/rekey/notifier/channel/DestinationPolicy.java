package dev.rekey.notifier.channel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which webhook destinations the notifier calls (server-side request forgery): https only, and only public
 * addresses, checked on the addresses the host resolves to at send time, except for allowlisted hosts.
 */
public final class DestinationPolicy {

    private final Set<String> allowedHosts;

    public DestinationPolicy(Set<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** A URL the notifier may try: why not, or null when it may. Checked before resolving. */
    public String refusalOf(URI url) {
        if (url.getScheme() == null || url.getHost() == null) {
            return "not an absolute http(s) URL";
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getUserInfo() != null) {
            return "URLs with user info are refused";
        }
        if (scheme.equals("https")) {
            return null;
        }
        if (scheme.equals("http") && allowed(url.getHost())) {
            return null;
        }
        return scheme.equals("http") ? "plain http is refused for " + url.getHost() + " (not an allowlisted host)"
                : "scheme " + scheme + " is refused";
    }

    /** The addresses {@code host} resolved to: why they may not be called, or null when they may. */
    public String refusalOf(String host, List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            return host + " resolved to no address";
        }
        if (allowed(host)) {
            return null;
        }
        for (InetAddress address : addresses) {
            String kind = nonPublic(address);
            if (kind != null) {
                return host + " resolves to a " + kind + " address (" + address.getHostAddress()
                        + "), refused for a host that is not allowlisted";
            }
        }
        return null;
    }

    private boolean allowed(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return allowedHosts.contains(bare.toLowerCase(Locale.ROOT));
    }

    /** What kind of non-public address this is, or null for a public one. */
    static String nonPublic(InetAddress address) {
        if (address instanceof Inet6Address v6 && isIpv4Mapped(v6)) {
            try {
                return nonPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(v6.getAddress(), 12, 16)));
            } catch (java.net.UnknownHostException e) {
                return "malformed";
            }
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0 || (first == 100 && second >= 64 && second <= 127) || first >= 240
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || (first == 198 && (second == 18 || second == 19))) {
                return "reserved";
            }
        } else if ((b[0] & 0xfe) == 0xfc) {
            return "private"; // unique local fc00::/7
        }
        return null;
    }

    private static boolean isIpv4Mapped(Inet6Address address) {
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
