package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.toThread;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.files.AsyncFile;
import dev.weft.runtime.files.AsyncFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The seed article's aiofiles example, one to one:
 * {@code async with aiofiles.open(file_name, mode='r') as f: data = await f.read()}, for three files
 * at once with {@code gather}.
 */
public final class ReadFiles {
    private ReadFiles() {
    }

    // tag::read-files[]
    @Async
    static Coroutine<String> readFile(Path fileName) throws IOException {
        try (AsyncFile f = await(AsyncFiles.open(fileName, "r"))) {
            String data = await(f.read());
            return result(data);
        }
    }

    @Async
    static Coroutine<Void> main(Path dir) throws IOException {
        List<Path> files = List.of(dir.resolve("file1.txt"), dir.resolve("file2.txt"), dir.resolve("file3.txt"));
        List<String> contents = await(gather(readFile(files.get(0)), readFile(files.get(1)), readFile(files.get(2))));
        for (String content : contents) {
            System.out.println(content);
        }
        return done();
    }
    // end::read-files[]

    /**
     * Writes the three files into a new temporary folder, then reads them.
     *
     * @return the coroutine
     * @throws IOException when the files cannot be made
     */
    @Async
    public static Coroutine<Void> main() throws IOException {
        Path dir = await(toThread(() -> Files.createTempDirectory("weft-read-files")));
        for (int i = 1; i <= 3; i++) {
            await(AsyncFiles.writeString(dir.resolve("file" + i + ".txt"), "Contents of file " + i));
        }
        await(main(dir));
        for (Path p : await(AsyncFiles.list(dir))) {
            await(AsyncFiles.delete(p));
        }
        await(AsyncFiles.delete(dir));
        return done();
    }
}
