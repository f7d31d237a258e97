package org.jnft.nft;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a ruleset file: lex, parse (with includes and defines), then evaluate; errors all at once. */
public final class Frontend {
    private Frontend() {}

    /** Parses and evaluates {@code file} (named as given) with offline interfaces; throws with every error found. */
    public static Model load(String file) throws NftException, IOException {
        return load(file, Interfaces.OFFLINE);
    }

    /** As {@link #load(String)}, resolving iif/oif names with {@code ifaces}. */
    public static Model load(String file, Interfaces ifaces) throws NftException, IOException {
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": Error: Could not open file \"" + file + "\": No such file or directory", e);
        } catch (IOException e) {
            throw new IOException(file + ": Error: Could not open file \"" + file + "\": " + e.getMessage(), e);
        }
        return loadText(new Source(file, text), ifaces);
    }

    public static Model loadText(Source src) throws NftException {
        return loadText(src, Interfaces.OFFLINE);
    }

    public static Model loadText(Source src, Interfaces ifaces) throws NftException {
        try {
            return ScopedValue.where(Interfaces.CURRENT, ifaces).call(() -> loadInScope(src));
        } catch (NftException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Model loadInScope(Source src) throws NftException {
        List<Diag> errors = new ArrayList<>();
        List<Decl> decls = parse(src, new java.util.LinkedHashMap<>(), errors, 0);
        // Like nft, evaluate what parsed even after syntax errors, to report the evaluation errors too.
        Evaluator ev = new Evaluator(errors);
        ev.run(decls);
        if (!errors.isEmpty()) throw new NftException(errors);
        ev.model.kernelErrors.addAll(ev.kernelErrors);
        return ev.model;
    }

    static List<Decl> parse(Source src, Map<String, Node> defines, List<Diag> errors, int depth) {
        List<Token> toks = new Lexer(src, errors).run();
        Parser.Includer inc = (name, defs) -> include(src, name, defs, errors, depth);
        return new Parser(toks, defines, errors, inc).parseAll();
    }

    private static List<Decl> include(Source from, Token name, Map<String, Node> defines, List<Diag> errors, int depth) {
        if (depth > 16) {
            errors.add(new Diag(name.loc(), "Include nested too deeply, max 16 levels"));
            return List.of();
        }
        String n = name.text();
        List<Path> candidates = new ArrayList<>();
        if (n.startsWith("/") || n.startsWith(".")) {
            candidates.add(Path.of(n));
        } else {
            candidates.add(Path.of("/etc", n));
            Path dir = Path.of(from.name).toAbsolutePath().getParent();
            if (dir != null) candidates.add(dir.resolve(n));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                try {
                    String shown = n.startsWith("/") || n.startsWith(".") ? n : p.toString();
                    Source s = new Source(shown, Files.readString(p, StandardCharsets.UTF_8));
                    return parse(s, defines, errors, depth + 1);
                } catch (IOException e) {
                    break;
                }
            }
        }
        errors.add(new Diag(name.loc(), "File not found: " + n));
        return List.of();
    }
}
