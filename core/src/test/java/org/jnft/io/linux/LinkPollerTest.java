package org.jnft.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The poller wakes for a ready ring block, for a netlink notification, and for wakeup(). */
class LinkPollerTest {
    static Netns nets;
    static String ns;

    @BeforeAll
    static void setUp() throws Exception {
        nets = new Netns();
        ns = nets.add("poll");
        nets.ip(ns, "link add v0 type veth peer name v1");
        nets.ip(ns, "link set v0 up");
        nets.ip(ns, "link set v1 up");
    }

    @AfterAll
    static void tearDown() {
        if (nets != null) {
            nets.close();
        }
    }

    @Test
    void wakesForFramesNotificationsAndWakeup() throws Exception {
        try (AfPacketLink a = nets.in(ns, () -> AfPacketLink.open("v0"));
             AfPacketLink b = nets.in(ns, () -> AfPacketLink.open("v1"));
             RtNetlink mon = nets.in(ns, () -> RtNetlink.subscribe(RtNetlink.RTMGRP_LINK));
             LinkPoller poller = new LinkPoller(4);
             Arena arena = Arena.ofConfined()) {
            int sa = poller.add(a);
            int sm = poller.add(mon);
            a.receive(f -> { }, 0); // drain the kernel's own IPv6 chatter, if any
            mon.poll();

            try (LinkPoller alone = new LinkPoller(1)) { // nothing else registered: only wakeup() ends the wait
                long t0 = System.nanoTime();
                new Thread(() -> {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                    alone.wakeup();
                }).start();
                assertThat(alone.poll(5000)).isZero();
                assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(50L, 4000L);
                assertThat(alone.poll(0)).isZero(); // the wake-up was consumed
            }

            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, AfPacketLinkTest.frame(1, 64));
            b.send(buf, 0, 64);
            b.flush();
            long end = System.nanoTime() + 3_000_000_000L;
            while (!a.ready() && System.nanoTime() < end) {
                poller.poll(1000);
            }
            assertThat(a.ready()).isTrue();
            assertThat(poller.ready(sa) || a.ready()).isTrue();
            assertThat(AfPacketLinkTest.collect(a, 1, 1000)).hasSize(1);

            nets.ip(ns, "link set v1 mtu 1400");
            end = System.nanoTime() + 3_000_000_000L;
            boolean seen = false;
            while (!seen && System.nanoTime() < end) {
                if (poller.poll(1000) > 0 && poller.ready(sm)) {
                    seen = mon.poll().stream().anyMatch(e -> e instanceof RtNetlink.LinkEvent l
                            && l.link().name().equals("v1") && l.link().mtu() == 1400);
                }
            }
            assertThat(seen).isTrue();
        }
    }
}
