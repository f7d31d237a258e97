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

    @Test
    void interfaceDownAndUpNeitherSpinsThePollerNorStopsTheLink() throws Exception {
        nets.ip(ns, "link add w0 type veth peer name w1");
        nets.ip(ns, "link set w0 up");
        nets.ip(ns, "link set w1 up");
        try (AfPacketLink a = nets.in(ns, () -> AfPacketLink.open("w0"));
             AfPacketLink b = nets.in(ns, () -> AfPacketLink.open("w1"));
             LinkPoller poller = new LinkPoller(1);
             Arena arena = Arena.ofConfined()) {
            int slot = poller.add(a);
            nets.ip(ns, "link set w0 down");
            nets.ip(ns, "link set w0 up");
            a.receive(f -> { }, 0);
            poller.poll(100); // finds POLLERR (ENETDOWN) and clears it
            assertThat(Errno.name(poller.takeError(slot))).isEqualTo("ENETDOWN");
            a.receive(f -> { }, 0);
            long t0 = System.nanoTime();
            int readyCount = 0;
            for (int i = 0; i < 5; i++) {
                readyCount += poller.poll(20);
                a.receive(f -> { }, 0); // the kernel's own IPv6 chatter may arrive: drain it
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).as("5 polls of 20 ms (%d ready)", readyCount)
                    .isGreaterThanOrEqualTo(40);
            // the same through the link's own wait
            nets.ip(ns, "link set w0 down");
            nets.ip(ns, "link set w0 up");
            a.waitReadable(50);
            assertThat(Errno.name(a.lastError())).isEqualTo("ENETDOWN");
            t0 = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                a.receive(f -> { }, 0);
                a.waitReadable(30);
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(40);
            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, AfPacketLinkTest.frame(9, 64));
            b.send(buf, 0, 64);
            b.flush();
            assertThat(AfPacketLinkTest.collect(a, 1, 2000)).as("received after down and up").hasSize(1);
        } finally {
            nets.ip(ns, "link del w0");
        }
    }
}
