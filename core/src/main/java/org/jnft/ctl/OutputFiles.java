package org.jnft.ctl;

import java.io.IOException;
import org.jnft.nft.Listing;
import org.jnft.nft.LiveState;
import org.jnft.nft.Model;
import org.jnft.pipeline.Router;
import org.jnft.route.Devices;

/**
 * The state files of DESIGN.md's contract that replay writes at its end and the daemon on SIGUSR1 and at
 * exit: ruleset.nft (with live counters), conntrack.txt, flowtables.txt, stats.txt. Written into an
 * {@link AtomicFiles} so that they appear together, each under its final name only once complete.
 */
final class OutputFiles {
    private OutputFiles() {}

    /**
     * Adds the four state files to {@code files} (not yet committed). {@code model} null: no ruleset, an
     * empty ruleset.nft.
     */
    static void write(AtomicFiles files, Router router, Devices devices, Model model,
                      org.jnft.nft.Interfaces ifaces, LiveState live) throws IOException {
        files.writeString("ruleset.nft", model == null ? "" : Listing.print(model, ifaces, live));
        StringBuilder ctLines = new StringBuilder();
        for (String line : router.conntrackLines()) {
            ctLines.append(line).append('\n');
        }
        files.writeString("conntrack.txt", ctLines.toString());
        files.writeString("flowtables.txt", router.flowtablesText());
        files.writeString("stats.txt", StatsFile.format(devices, router.stats()));
    }
}
