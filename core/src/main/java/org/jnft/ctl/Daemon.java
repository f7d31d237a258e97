package org.jnft.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jnft.io.linux.AfPacketLink;
import org.jnft.io.linux.Errno;
import org.jnft.io.linux.GsoSegmenter;
import org.jnft.io.linux.KernelIngressDrop;
import org.jnft.io.linux.LinkPoller;
import org.jnft.io.linux.NativeException;
import org.jnft.io.linux.RtNetlink;
import org.jnft.io.linux.RxFrame;
import org.jnft.nft.Frontend;
import org.jnft.nft.Interfaces;
import org.jnft.nft.LiveState;
import org.jnft.nft.Model;
import org.jnft.nft.NftException;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.packet.PacketBuffer;
import org.jnft.pipeline.DropReason;
import org.jnft.pipeline.NfLog;
import org.jnft.pipeline.Router;
import org.jnft.pipeline.Sysctl;
import org.jnft.route.NetConfig;
import org.jnft.route.NetDevice;
import org.jnft.route.NetFile;
import org.jnft.route.NetFileException;
import org.jnft.vm.RulesetHolder;

/**
 * {@code jnft daemon}: the router on Linux interfaces of the current network namespace (DESIGN.md).
 *
 * <p>One thread does everything: it polls the AF_PACKET links, hands each ring block's frames to the
 * router (GSO super-frames cut into their segments first, see {@link GsoSegmenter}), sends what the router
 * queued, moves the router's clock to the monotonic clock (timers, GC), and between two batches does the
 * control work the signal handlers asked for (the handlers only set flags and wake the poll up): SIGUSR1
 * writes the state files, SIGHUP reloads the ruleset, SIGTERM/SIGINT end the loop.
 *
 * <p>Who answers for the router's addresses: jnft, alone. The kernel keeps its addresses on the interfaces
 * (jnft reads them from it) but sees none of their frames: {@link KernelIngressDrop} drops them at the
 * netdev ingress hook, after AF_PACKET has taken its copy. So ARP, NDP, echo, TCP resets and port
 * unreachables are answered once, by jnft, and replies to masqueraded or port-forwarded connections reach
 * only jnft (the kernel would have reset them). The table goes away with the daemon.
 */
final class Daemon implements AfPacketLink.FrameHandler, GsoSegmenter.Sink {

    /** What {@code jnft daemon} was asked to do; paths resolved against the caller's directory. */
    record Options(Path ruleset, String rulesetName, List<String> ifaces, Path net, String netName, Path out,
                   List<String> sets) {}

    /** A failure with its cause, for stderr; exit status 1. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /** Blocks per link and round: bounds one link's share before the others and the timers get a turn. */
    private static final int BLOCKS_PER_ROUND = 8;
    /** Longest sleep in poll: the resolution of the router's timers on an idle link. */
    private static final int POLL_MILLIS = 10;

    private final Options o;
    private final PrintStream err;
    private final Sysctl sysctl = new Sysctl();
    private final RulesetHolder rules = new RulesetHolder();
    private final PacketBuffer buf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
    private final GsoSegmenter segmenter = new GsoSegmenter();
    private final DaemonSignals signals = new DaemonSignals();
    private NetConfig net;
    private Interfaces interfaces;
    private Model model;
    private LiveState live;
    private long generation;
    private Router router;
    private AfPacketLink[] links = new AfPacketLink[0];
    private long[] ringDrops;
    private LiveTransmitter tx;
    private LinkPoller poller;
    private KernelIngressDrop blind;
    /** Link and address notifications: an interface going down tears its flows down; an address going away ends the connections masqueraded to it. */
    private RtNetlink linkEvents;
    private int linkEventsSlot;
    private final java.util.Set<Integer> down = new java.util.HashSet<>();
    private long now;
    private int rxIfindex;

    private Daemon(Options o, PrintStream err) {
        this.o = o;
        this.err = err;
    }

    /**
     * Runs until SIGTERM/SIGINT; returns the exit status.
     *
     * @throws IllegalArgumentException for usage errors (unknown sysctl, an interface named twice)
     */
    static int run(Options o, PrintStream err) {
        Daemon d = new Daemon(o, err);
        try {
            d.setUp();
        } catch (Failure f) {
            d.tearDown();
            err.println("jnft: " + f.getMessage());
            return 1;
        }
        try {
            err.println("jnft: ready");
            d.loop();
            d.writeFiles();
            return 0;
        } catch (NativeException | Failure e) {
            err.println("jnft: " + e.getMessage());
            return 1;
        } finally {
            d.tearDown();
        }
    }

    private void setUp() throws Failure {
        for (String kv : o.sets()) {
            sysctl.set(kv);
        }
        if (new LinkedHashSet<>(o.ifaces()).size() != o.ifaces().size()) {
            throw new IllegalArgumentException("an --iface is given twice");
        }
        try {
            List<String> on = org.jnft.io.linux.Sysctl.kernelForwarding();
            if (!on.isEmpty()) {
                throw new Failure("the kernel forwards in this network namespace (" + String.join(", ", on)
                        + "): every packet would be routed twice; turn it off (sysctl -w net.ipv4.ip_forward=0"
                        + " net.ipv6.conf.all.forwarding=0)");
            }
        } catch (IOException e) {
            throw new Failure("cannot read the kernel's forwarding switches: " + Replay.reason(e));
        }
        List<RtNetlink.Link> kernelLinks;
        KernelNet.Result kernel;
        try (RtNetlink nl = RtNetlink.open()) {
            kernelLinks = nl.links();
            kernel = o.net() == null ? KernelNet.describe(o.ifaces(), kernelLinks, nl.addresses(), nl.routes()) : null;
        } catch (NativeException e) {
            throw new Failure(e.getMessage() + privilegeHint(e));
        } catch (IllegalStateException e) {
            throw new Failure(e.getMessage());
        }
        Map<String, Integer> indexes = new LinkedHashMap<>();
        indexes.put("lo", 1);
        for (RtNetlink.Link l : kernelLinks) {
            indexes.put(l.name(), l.index());
        }
        for (String i : o.ifaces()) {
            if (!indexes.containsKey(i)) {
                throw new Failure("interface " + i + " does not exist");
            }
        }
        try {
            if (kernel != null) {
                for (String s : kernel.skipped()) {
                    err.println("jnft: kernel " + s + " cannot be expressed in NET: left out");
                }
                net = NetFile.parse(kernel.text(), "kernel");
            } else {
                net = NetFile.parse(o.net(), o.netName());
                checkNetLinks();
            }
        } catch (NetFileException e) {
            throw new Failure(e.getMessage());
        }
        net.useIfindexes(indexes);
        interfaces = Interfaces.of(indexes);
        if (o.ruleset() != null) {
            loadRuleset();
        }
        openLinks();
        tx = new LiveTransmitter(links);
        router = new Router(net, sysctl, tx, rules);
        tx.stats(router.stats());
        NfLog nfLog = new NfLog();
        router.engine().logSink = (prefix, level, flags, p) -> err.println(nfLog.format(prefix, flags, p));
        router.warnings(err::println);
        signals.install(poller);
    }

    /** --net's links must be exactly the --iface interfaces. */
    private void checkNetLinks() throws Failure {
        List<String> names = net.linkNames();
        for (String n : names) {
            if (!o.ifaces().contains(n)) {
                throw new Failure(o.netName() + ": link " + n + " is not an --iface interface");
            }
        }
        for (String i : o.ifaces()) {
            if (!names.contains(i)) {
                throw new Failure("--iface " + i + ": no `link add " + i + "` in " + o.netName());
            }
        }
    }

    private void loadRuleset() throws Failure {
        try {
            Model m = Frontend.load(o.rulesetName(), interfaces);
            LiveState l = SnapshotBuilder.compile(m, ++generation);
            model = m;
            live = l;
            rules.swap(l.ruleset);
        } catch (NftException e) {
            throw new Failure(e.format().stripTrailing());
        } catch (IOException e) {
            throw new Failure(e.getMessage());
        }
    }

    private void openLinks() throws Failure {
        List<AfPacketLink> opened = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try {
            poller = new LinkPoller(o.ifaces().size() + 1);
            linkEvents = RtNetlink.subscribe(RtNetlink.RTMGRP_LINK | RtNetlink.RTMGRP_IPV4_IFADDR
                    | RtNetlink.RTMGRP_IPV6_IFADDR);
            linkEventsSlot = poller.add(linkEvents);
            for (NetDevice d : net.devices().links()) {
                if (d.isVlan()) {
                    continue; // its frames arrive tagged on the parent's link
                }
                AfPacketLink l = AfPacketLink.open(d.name());
                opened.add(l);
                names.add(d.name());
                poller.add(l);
            }
            links = opened.toArray(AfPacketLink[]::new);
            ringDrops = new long[links.length];
            blind = KernelIngressDrop.install("jnft_" + ProcessHandle.current().pid(), names);
        } catch (NativeException e) {
            links = opened.toArray(AfPacketLink[]::new);
            throw new Failure(e.getMessage() + privilegeHint(e));
        }
    }

    private static String privilegeHint(NativeException e) {
        return e.errno() == Errno.EPERM || e.errno() == Errno.EACCES
                ? ": the daemon needs CAP_NET_RAW and CAP_NET_ADMIN (run it as root)" : "";
    }

    private void loop() throws NativeException, Failure {
        long nextSecond = System.nanoTime() + 1_000_000_000L;
        now = System.nanoTime();
        router.advanceTo(now);
        while (!signals.stop) {
            poller.poll(POLL_MILLIS);
            now = System.nanoTime();
            router.advanceTo(now);
            for (AfPacketLink l : links) {
                rxIfindex = l.ifindex();
                if (l.ready()) {
                    l.receive(this, 0, BLOCKS_PER_ROUND);
                }
                tx.flush();
            }
            router.advanceTo(System.nanoTime());
            tx.flush();
            if (poller.ready(linkEventsSlot) || poller.takeError(linkEventsSlot) != 0) {
                linkChanges();
            }
            if (now >= nextSecond) {
                nextSecond = now + 1_000_000_000L;
                countRingDrops();
            }
            if (signals.dump) {
                signals.dump = false;
                writeFiles();
            }
            if (signals.reload) {
                signals.reload = false;
                reload();
            }
        }
    }

    @Override
    public void frame(RxFrame f) {
        segmenter.deliver(f, buf, this);
    }

    @Override
    public void segment(PacketBuffer out) {
        out.ifindex = rxIfindex;
        out.timestamp = now;
        router.receive(out);
    }

    /**
     * A served interface went down (or lost its carrier): its flows are torn down, as nf_flow_table_cleanup
     * does; frames sent meanwhile are counted as DEV_READY drops. Up again, it simply carries traffic again.
     */
    private void linkChanges() throws NativeException {
        List<RtNetlink.Link> changed = new ArrayList<>();
        for (RtNetlink.Event e : linkEvents.poll()) {
            if (e instanceof RtNetlink.LinkEvent le) {
                changed.add(le.link());
            } else if (e instanceof RtNetlink.AddressEvent ae && ae.removed()) {
                // an address went: connections masqueraded to it die (nf_nat_masquerade's notifiers)
                int killed = router.addressRemoved(ae.address().index(), ae.address().address().hi(),
                        ae.address().address().lo());
                if (killed > 0) {
                    err.println("jnft: address removed: " + killed + " masqueraded connections dropped");
                }
            } else if (e instanceof RtNetlink.Overrun) {
                try (RtNetlink nl = RtNetlink.open()) {
                    changed.addAll(nl.links());
                }
            }
        }
        for (RtNetlink.Link l : changed) {
            boolean served = false;
            for (AfPacketLink a : links) {
                served |= a.ifindex() == l.index();
            }
            if (!served) {
                continue;
            }
            boolean running = l.up() && l.lowerUp();
            if (!running && down.add(l.index())) {
                router.deviceDown(l.index());
                err.println("jnft: " + l.name() + " is down: its flows are torn down");
            } else if (running && down.remove(l.index())) {
                err.println("jnft: " + l.name() + " is up");
            }
        }
    }

    private void countRingDrops() throws NativeException {
        for (int k = 0; k < links.length; k++) {
            long d = links[k].kernelDrops();
            if (d != ringDrops[k]) {
                router.stats().drop(links[k].ifindex(), DropReason.FULL_RING, d - ringDrops[k]);
                ringDrops[k] = d;
            }
        }
    }

    /** SIGHUP: the ruleset file again; a bad one changes nothing. */
    private void reload() {
        if (o.ruleset() == null) {
            err.println("jnft: SIGHUP: no --ruleset to reload");
            return;
        }
        try {
            loadRuleset();
            err.println("jnft: ruleset reloaded from " + o.rulesetName() + " (generation " + generation + ")");
        } catch (Failure f) {
            err.println(f.getMessage());
            err.println("jnft: reload failed; the ruleset in use is unchanged");
        }
    }

    /** SIGUSR1 and exit: the state files into --out (ignored without). */
    private void writeFiles() throws Failure {
        if (o.out() == null) {
            return;
        }
        try {
            countRingDrops();
            Files.createDirectories(o.out());
            try (AtomicFiles files = new AtomicFiles(o.out())) {
                OutputFiles.write(files, router, net.devices(), model, interfaces, live);
                files.commit();
            }
        } catch (IOException e) {
            err.println("jnft: " + o.out() + ": " + Replay.reason(e)); // the router goes on
        }
    }

    private void tearDown() {
        signals.uninstall();
        if (blind != null) {
            blind.close();
        }
        if (linkEvents != null) {
            linkEvents.close();
        }
        for (AfPacketLink l : links) {
            l.close();
        }
        if (poller != null) {
            poller.close();
        }
    }
}
