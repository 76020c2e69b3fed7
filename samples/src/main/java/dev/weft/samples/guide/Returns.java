package dev.weft.samples.guide;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import java.io.IOException;

/** A coroutine returned from inside a try, as docs/limitations.md shows it; run by {@code GuideTest}. */
final class Returns {
    private Returns() {
    }

    // tag::return-in-try[]
    @Async static Coroutine<String> load(String name) throws IOException {
        System.out.println("loading " + name);
        await(sleep(0.1));
        throw new IOException("no " + name);
    }

    @Async static Coroutine<String> loadOrDefault(String name) {
        try {
            return load(name);      // awaited here: return result(await(load(name)))
        } catch (IOException e) {
            System.out.println("caught: " + e.getMessage());
            return result("default");
        } finally {
            System.out.println("finally");
        }
    }
    // end::return-in-try[]
}
