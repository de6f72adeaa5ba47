package com.gnosis.hub.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which callback URLs the hub agrees to call (against SSRF: a caller must not make the hub reach its own
 * network). Only http and https, no user-info; the host is resolved and every address it has must be public:
 * loopback, link-local (cloud metadata at 169.254.169.254 included), private, carrier-grade NAT, unique-local,
 * unspecified and multicast addresses are refused unless WEBHOOK_ALLOWED_HOSTS names the host, the address or
 * a range (CIDR) holding it. Checked when the URL is given and again before each delivery (DNS may change).
 */
public final class CallbackGuard {

    /** Resolves a host name to its addresses (DNS; a test may answer itself). */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<String> allowedHosts = new ArrayList<>();
    private final List<Range> allowedRanges = new ArrayList<>();
    private final Resolver resolver;

    /** @param allowList WEBHOOK_ALLOWED_HOSTS: comma-separated host names, addresses and CIDR ranges; may be null */
    public CallbackGuard(String allowList, Resolver resolver) {
        this.resolver = resolver;
        if (allowList == null) return;
        for (String entry : allowList.split(",")) {
            String item = entry.trim().toLowerCase(Locale.ROOT);
            if (item.isEmpty()) continue;
            Optional<Range> range = Range.parse(item);
            if (range.isPresent()) allowedRanges.add(range.get());
            else allowedHosts.add(item);
        }
    }

    public CallbackGuard(String allowList) {
        this(allowList, InetAddress::getAllByName);
    }

    /** Why the hub will not call this URL, or empty when it will. */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("callback_url is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("callback_url must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) return Optional.of("callback_url must not hold a user name or password");
        String host = uri.getHost();
        if (host == null || host.isEmpty()) return Optional.of("callback_url names no host");
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (allowedHosts.contains(host)) return Optional.empty();
        InetAddress[] addresses;
        try {
            // an address literal is its own answer; only names go to DNS
            boolean literal = host.contains(":") || host.matches("[0-9.]+");
            addresses = literal ? new InetAddress[] {InetAddress.getByName(host)} : resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("callback_url's host " + host + " cannot be resolved");
        }
        if (addresses.length == 0) return Optional.of("callback_url's host " + host + " cannot be resolved");
        for (InetAddress address : addresses) {
            Optional<String> kind = internal(address);
            if (kind.isPresent() && allowedRanges.stream().noneMatch(r -> r.contains(address))) {
                return Optional.of("callback_url's host " + host + " is " + kind.get() + " (" + address.getHostAddress()
                        + "); the hub calls only public addresses unless WEBHOOK_ALLOWED_HOSTS names it");
            }
        }
        return Optional.empty();
    }

    /** What kind of non-public address this is, or empty for a public one. */
    static Optional<String> internal(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mapped = true; // ::ffff:a.b.c.d is the IPv4 address a.b.c.d
            for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
            mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            if (mapped) {
                try {
                    return internal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
            if ((b[0] & 0xfe) == 0xfc) return Optional.of("a unique-local address");
        }
        if (address.isLoopbackAddress()) return Optional.of("a loopback address");
        if (address.isLinkLocalAddress()) return Optional.of("a link-local address");
        if (address.isSiteLocalAddress()) return Optional.of("a private address");
        if (address.isAnyLocalAddress()) return Optional.of("the unspecified address");
        if (address.isMulticastAddress()) return Optional.of("a multicast address");
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) return Optional.of("a 'this network' address");
            if (first == 100 && second >= 64 && second < 128) return Optional.of("a carrier-grade NAT address");
            if (first == 198 && (second == 18 || second == 19)) return Optional.of("a benchmarking address");
            if (first >= 240) return Optional.of("a reserved address");
        }
        return Optional.empty();
    }

    /** An address range: 10.0.0.0/8, fd00::/8, or one address. */
    record Range(byte[] network, int bits) {

        static Optional<Range> parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            // only literal addresses: a host name is matched by name, never resolved here
            if (!address.matches("[0-9.]+") && !address.contains(":")) return Optional.empty();
            try {
                byte[] bytes = InetAddress.getByName(address).getAddress();
                int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
                if (bits < 0 || bits > bytes.length * 8) throw new IllegalArgumentException();
                return Optional.of(new Range(bytes, bits));
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw new IllegalArgumentException("WEBHOOK_ALLOWED_HOSTS: '" + text + "' is not an address or range");
            }
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != network.length) return false;
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((b[bit / 8] & mask) != (network[bit / 8] & mask)) return false;
            }
            return true;
        }
    }
}
