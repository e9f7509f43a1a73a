package io.netconform.policy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 CIDR block, as ipBlock.cidr and ipBlock.except write it. */
record Cidr(String text, byte[] network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    static Cidr parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int slash = trimmed.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (expected e.g. 10.0.0.0/16 or fd00::/64)");
        }
        byte[] address = parseAddress(trimmed.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length that is not a number");
        }
        if (prefix < 0 || prefix > address.length * 8) {
            throw new IllegalArgumentException("'" + text + "' has prefix length " + prefix + ", outside 0.."
                    + address.length * 8);
        }
        return new Cidr(trimmed, address, prefix);
    }

    /** The bytes of an IPv4 (4) or IPv6 (16) literal; never a DNS lookup. */
    static byte[] parseAddress(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (!IPV4.matcher(trimmed).matches() && !IPV6.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
        try {
            return InetAddress.getByName(trimmed).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
    }

    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        if (prefix == 0) {
            return true;
        }
        int shift = address.length * 8 - prefix;
        return new BigInteger(1, address).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
    }

    @Override
    public String toString() {
        return text;
    }
}
