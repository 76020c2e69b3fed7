package dev.weft.samples.guide;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** The method that docs/internals.md shows before and after the weave; run by {@code GuideTest}. */
final class Shapes {
    private Shapes() {
    }

    // tag::fetch[]
    @Async static Coroutine<String> fetch(int id, double seconds) {
        await(sleep(seconds));
        return result("Data from " + id);
    }
    // end::fetch[]
}
