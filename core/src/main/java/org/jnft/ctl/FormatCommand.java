package org.jnft.ctl;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.jnft.nft.Frontend;
import org.jnft.nft.Listing;
import org.jnft.nft.Model;
import org.jnft.nft.NftException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./jnft format FILE}: prints FILE's ruleset as {@code nft list ruleset} would after loading it. */
@Command(name = "format", description = "Print a ruleset file as 'nft list ruleset' would after loading it.")
public final class FormatCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The ruleset file.")
    String file;

    @Override
    public Integer call() {
        try {
            Model m = Frontend.load(file);
            if (!m.kernelErrors.isEmpty()) {
                m.kernelErrors.forEach(d -> System.err.print(d.format()));
                return 1;
            }
            System.out.print(Listing.print(m));
            System.out.flush();
            return 0;
        } catch (NftException e) {
            System.err.print(e.format());
            return 1;
        } catch (IOException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
