package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.toThread;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reading and writing files without blocking the loop, as aiofiles does: each file operation runs
 * on the loop's default executor through {@code toThread}, and several files are written and read
 * at once with {@code gather}.
 */
public final class AsyncFiles {
    private AsyncFiles() {
    }

    // tag::files[]
    @Async
    static Coroutine<Integer> writeFile(Path file, String text) {
        await(toThread(() -> Files.writeString(file, text, StandardCharsets.UTF_8)));
        return result(text.length());
    }

    @Async
    static Coroutine<String> readFile(Path file) {
        String text = await(toThread(() -> Files.readString(file, StandardCharsets.UTF_8)));
        return result(file.getFileName() + ": " + text);
    }

    @Async
    static Coroutine<Void> main(Path dir) {
        List<Integer> sizes = await(gather(
                writeFile(dir.resolve("a.txt"), "alpha"),
                writeFile(dir.resolve("b.txt"), "bravo charlie"),
                writeFile(dir.resolve("c.txt"), "delta")));
        System.out.println("Wrote " + sizes + " characters");
        List<String> contents = await(gather(
                readFile(dir.resolve("a.txt")), readFile(dir.resolve("b.txt")), readFile(dir.resolve("c.txt"))));
        contents.forEach(System.out::println);
        return done();
    }
    // end::files[]

    @Async
    static Coroutine<Void> main() {
        Path dir = await(toThread(() -> Files.createTempDirectory("weft-files")));
        await(main(dir));
        return done();
    }
}
