package org.jnft.ctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jnft.nft.Frontend;
import org.jnft.nft.LiveState;
import org.jnft.nft.Model;
import org.jnft.nft.NftException;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.packet.PacketBuffer;
import org.jnft.vm.RulesetHolder;
import org.jnft.pipeline.NfLog;
import org.jnft.pipeline.Router;
import org.jnft.pipeline.Sysctl;
import org.jnft.route.Devices;
import org.jnft.route.NetConfig;
import org.jnft.route.NetDevice;
import org.jnft.route.NetFile;
import org.jnft.route.NetFileException;

/**
 * The replay driver: a NET file, input pcaps and a ruleset in; the router run on virtual time; the output files
 * of DESIGN.md's contract out. Inputs are all read and checked before DIR is touched.
 */
final class Replay {

    /** What {@code jnft replay} was asked to do; paths already resolved against the caller's directory. */
    record Options(Path net, String netName, Path ruleset, String rulesetName, List<String> ifaces,
                   List<String> files, Path out, List<String> sets) {}

    /** What happened, for callers that narrate (the demo). */
    record Result(Router router, List<ReplayInput.Frame> frames, List<String> written) {}

    /** Bad input: the message names FILE:LINE or FILE: offset N; exit status 1. */
    static final class BadInputException extends Exception {
        BadInputException(String message) {
            super(message);
        }
    }

    private Replay() {}

    /**
     * @throws IllegalArgumentException for usage errors (unknown sysctl, unknown interface)
     * @throws BadInputException for files that cannot be read or parsed
     */
    static Result run(Options o) throws BadInputException, IOException {
        Sysctl sysctl = new Sysctl();
        for (String kv : o.sets()) {
            sysctl.set(kv);
        }
        NetConfig net;
        try {
            net = NetFile.parse(o.net(), o.netName());
        } catch (NetFileException e) {
            throw new BadInputException(e.getMessage());
        }
        Devices devices = net.devices();
        for (String iface : o.ifaces()) {
            NetDevice d = devices.byName(iface);
            if (d == null || d.ifindex() == 1) {
                throw new IllegalArgumentException("--in " + iface + ": no `link add " + iface + "` in " + o.netName());
            }
        }
        Model model = null;
        LiveState live = null;
        RulesetHolder rules = new RulesetHolder();
        if (o.ruleset() != null) {
            try {
                model = Frontend.load(o.rulesetName(), interfaces(devices));
            } catch (NftException e) {
                throw new BadInputException(e.format().stripTrailing());
            } catch (IOException e) {
                throw new BadInputException(e.getMessage()); // as -c -f reports it
            }
            live = SnapshotBuilder.compile(model, 1);
            rules.swap(live.ruleset);
        }
        List<ReplayInput.Frame> frames;
        try {
            frames = ReplayInput.load(o.ifaces(), o.files());
        } catch (org.jnft.io.PcapFormatException e) {
            throw new BadInputException(e.getMessage());
        } catch (IOException e) {
            throw new BadInputException(e.getMessage());
        }

        Files.createDirectories(o.out());
        int maxIndex = 1;
        for (NetDevice d : devices.links()) {
            maxIndex = Math.max(maxIndex, d.ifindex());
        }
        try (AtomicFiles files = new AtomicFiles(o.out())) {
            Router router;
            StringBuilder log = new StringBuilder();
            try (PcapTransmitter tx = new PcapTransmitter(files, maxIndex)) {
                router = new Router(net, sysctl, tx, rules);
                NfLog nfLog = new NfLog();
                router.engine().logSink = (prefix, level, flags, p) -> log.append(nfLog.format(prefix, flags, p))
                        .append('\n');
                PacketBuffer buf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
                for (ReplayInput.Frame f : frames) {
                    router.advanceTo(f.timestampNanos());
                    buf.load(f.bytes());
                    buf.ifindex = devices.byName(f.iface()).ifindex();
                    buf.timestamp = f.timestampNanos();
                    router.receive(buf);
                }
                if (!frames.isEmpty()) {
                    router.advanceTo(frames.getLast().timestampNanos());
                }
                router.finish(); // the run ends: packets still waiting for a neighbour are dropped
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            OutputFiles.write(files, router, devices, model, interfaces(devices), live);
            files.writeString("log.txt", log.toString());
            files.commit();
            List<String> written = new java.util.ArrayList<>();
            for (NetDevice d : devices.links()) {
                Path p = o.out().resolve(d.name() + ".pcap");
                if (router.stats().txPackets(d.ifindex()) > 0) {
                    written.add(d.name() + ".pcap");
                } else {
                    Files.deleteIfExists(p); // a stale capture from an earlier run would mislead
                }
            }
            return new Result(router, frames, written);
        }
    }

    /** nft's view of the interfaces in replay: lo is 1, NET's links 2, 3, ... in file order. */
    static org.jnft.nft.Interfaces interfaces(Devices devices) {
        java.util.Map<String, Integer> m = new java.util.LinkedHashMap<>();
        m.put("lo", 1);
        for (NetDevice d : devices.links()) {
            m.put(d.name(), d.ifindex());
        }
        return org.jnft.nft.Interfaces.of(m);
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
