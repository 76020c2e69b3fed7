package dev.weft.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a sample with {@code System.out} captured and gives back the lines it printed. */
final class SampleOutput {
    private SampleOutput() {
    }

    /** Something that prints. */
    @FunctionalInterface
    interface Printing {
        void run() throws Exception;
    }

    static List<String> linesOf(Printing sample) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            sample.run();
        } finally {
            System.setOut(original);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text.lines().toList();
    }
}
