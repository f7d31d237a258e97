package org.jnft.ctl;

import org.jnft.io.linux.LinkPoller;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The daemon's signals (sun.misc.Signal, from jdk.unsupported): a handler runs on a JVM thread of its own,
 * so it only raises a flag and wakes the data-plane thread's poll; that thread does the work between two
 * batches, where the router is not in the middle of a packet.
 */
final class DaemonSignals {
    volatile boolean dump;
    volatile boolean reload;
    volatile boolean stop;
    private final String[] names = {"USR1", "HUP", "TERM", "INT"};
    private final SignalHandler[] previous = new SignalHandler[names.length];
    private boolean installed;

    void install(LinkPoller poller) {
        for (int i = 0; i < names.length; i++) {
            String n = names[i];
            previous[i] = Signal.handle(new Signal(n), s -> {
                switch (n) {
                    case "USR1" -> dump = true;
                    case "HUP" -> reload = true;
                    default -> stop = true;
                }
                poller.wakeup();
            });
        }
        installed = true;
    }

    void uninstall() {
        if (installed) {
            installed = false;
            for (int i = 0; i < names.length; i++) {
                Signal.handle(new Signal(names[i]), previous[i]);
            }
        }
    }
}
