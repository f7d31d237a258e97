package org.jnft.ctl;

import java.io.IOException;
import java.io.PrintStream;
import org.jnft.nft.Frontend;
import org.jnft.nft.Model;
import org.jnft.nft.NetlinkDebug;
import org.jnft.nft.NftException;

/** {@code ./jnft [--debug=netlink] -c -f FILE}: checks a ruleset as {@code nft -c -f} does. */
public final class CheckCommand {
    private CheckCommand() {}

    /** Returns the exit status: 0 valid, 1 bad input. */
    public static int run(String file, boolean debugNetlink, PrintStream out, PrintStream err) {
        Model model;
        try {
            model = Frontend.load(file);
        } catch (NftException e) {
            err.print(e.format());
            return 1;
        } catch (IOException e) {
            err.println(e.getMessage());
            return 1;
        }
        if (debugNetlink) {
            out.print(NetlinkDebug.print(model));
            out.flush();
        }
        if (!model.kernelErrors.isEmpty()) {
            // What nft reports after the kernel refuses the batch (e.g. deleting what does not exist).
            model.kernelErrors.forEach(d -> err.print(d.format()));
            return 1;
        }
        return 0;
    }
}
