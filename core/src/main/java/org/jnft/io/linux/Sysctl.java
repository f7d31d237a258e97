package org.jnft.io.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kernel parameters through /proc/sys, as sysctl(8) names them ({@code net.ipv4.ip_forward}). The
 * net.* files answer for the network namespace of the reading thread.
 */
public final class Sysctl {
    /** The switches that make the kernel itself forward, which a jnft daemon must find off. */
    public static final List<String> FORWARDING = List.of("net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding");

    private Sysctl() {
    }

    /** /proc/sys/KEY with dots as slashes. */
    public static Path path(String key) {
        return Path.of("/proc/sys", key.replace('.', '/'));
    }

    /** The value, trimmed; {@link NoSuchFileException} naming the file when the key does not exist. */
    public static String read(String key) throws IOException {
        return new String(Files.readAllBytes(path(key)), StandardCharsets.US_ASCII).trim();
    }

    /** The {@link #FORWARDING} keys that are on ("1"), each as {@code key = value}; empty when none is. */
    public static List<String> kernelForwarding() throws IOException {
        List<String> on = new ArrayList<>();
        for (String k : FORWARDING) {
            String v = read(k);
            if (!v.equals("0")) {
                on.add(k + " = " + v);
            }
        }
        return on;
    }
}
