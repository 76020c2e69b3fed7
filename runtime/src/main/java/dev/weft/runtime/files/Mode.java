package dev.weft.runtime.files;

import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/** A parsed Python file mode: {@code r}, {@code w}, {@code a}, {@code x}, with {@code +}, {@code b}, {@code t}. */
record Mode(String text, boolean read, boolean write, boolean append, boolean binary, Set<StandardOpenOption> options) {
    static Mode parse(String mode) {
        if (mode == null || mode.isEmpty()) {
            throw new IllegalArgumentException("invalid mode: '" + mode + "' (use r, w, a or x, with + and b or t)");
        }
        char kind = 0;
        boolean plus = false;
        boolean b = false;
        boolean t = false;
        for (char c : mode.toCharArray()) {
            switch (c) {
                case 'r', 'w', 'a', 'x' -> {
                    if (kind != 0) {
                        throw invalid(mode);
                    }
                    kind = c;
                }
                case '+' -> {
                    if (plus) {
                        throw invalid(mode);
                    }
                    plus = true;
                }
                case 'b' -> {
                    if (b) {
                        throw invalid(mode);
                    }
                    b = true;
                }
                case 't' -> {
                    if (t) {
                        throw invalid(mode);
                    }
                    t = true;
                }
                default -> throw invalid(mode);
            }
        }
        if (kind == 0 || (b && t)) {
            throw invalid(mode);
        }
        EnumSet<StandardOpenOption> o = EnumSet.noneOf(StandardOpenOption.class);
        boolean read = kind == 'r' || plus;
        boolean write = kind != 'r' || plus;
        if (read) {
            o.add(StandardOpenOption.READ);
        }
        if (write) {
            o.add(StandardOpenOption.WRITE);
        }
        switch (kind) {
            case 'w' -> {
                o.add(StandardOpenOption.CREATE);
                o.add(StandardOpenOption.TRUNCATE_EXISTING);
            }
            case 'a' -> o.add(StandardOpenOption.CREATE);
            case 'x' -> o.add(StandardOpenOption.CREATE_NEW);
            default -> {
            }
        }
        return new Mode(mode, read, write, kind == 'a', b, o);
    }

    private static IllegalArgumentException invalid(String mode) {
        return new IllegalArgumentException("invalid mode: '" + mode
                + "' (one of r, w, a, x, optionally with + and one of b or t)");
    }

    OpenOption[] openOptions() {
        return options.toArray(new OpenOption[0]);
    }
}
