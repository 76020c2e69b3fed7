package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createSubprocessExec;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.result;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.subprocess.Subprocess;
import java.io.IOException;
import java.util.List;

/**
 * Several child processes at once: {@code grep} and {@code wc} over the same text, fed through their
 * standard input, their outputs gathered, as asyncio's subprocess examples do.
 */
public final class Children {
    private Children() {
    }

    static final String TEXT = String.join("\n",
            "the event loop runs one task at a time",
            "a task waits at an await",
            "while it waits, the loop runs another",
            "no thread blocks") + "\n";

    // tag::children[]
    @Async
    static Coroutine<String> run(String... command) throws IOException {
        Subprocess p = await(createSubprocessExec(command));
        Subprocess.Output out = await(p.communicate(TEXT.getBytes(UTF_8)));
        return result(String.join(" ", command) + " -> exit " + out.exitCode() + ": "
                + new String(out.stdout(), UTF_8).strip().replaceAll("\\s+", " "));
    }

    @Async
    static Coroutine<Void> main() throws IOException {
        List<String> results = await(gather(
                run("grep", "-c", "wait"),
                run("grep", "-n", "loop"),
                run("wc", "-l"),
                run("wc", "-w")));
        results.forEach(System.out::println);
        return done();
    }
    // end::children[]
}
