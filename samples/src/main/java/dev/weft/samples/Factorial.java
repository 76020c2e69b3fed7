package dev.weft.samples;

import static dev.weft.runtime.Aio.await;
import static dev.weft.runtime.Aio.createTask;
import static dev.weft.runtime.Aio.done;
import static dev.weft.runtime.Aio.gather;
import static dev.weft.runtime.Aio.getRunningLoop;
import static dev.weft.runtime.Aio.result;
import static dev.weft.runtime.Aio.sleep;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/**
 * Two tasks computing factorials, once with a blocking {@code Thread.sleep} inside the coroutine
 * (no interleaving: about 5 s, and the weaver warns about the blocking call at build time) and once
 * with {@code await(sleep(1))} (interleaved: about 3 s).
 */
public final class Factorial {
    /** How long the blocking variant blocks per step, in milliseconds; the tests shorten it. */
    static long blockMillis = 1000;

    private Factorial() {
    }

    // tag::factorial[]
    @Async
    static Coroutine<Long> factorial(String name, int number) {
        long f = 1;
        for (int i = 2; i <= number; i++) {
            System.out.println("Task " + name + ": Compute factorial(" + number + "), currently i=" + i + "...");
            await(sleep(1));
            f *= i;
        }
        System.out.println("Task " + name + ": factorial(" + number + ") = " + f);
        return result(f);
    }
    // end::factorial[]

    /**
     * The same computation, but blocking the loop's thread with {@code Thread.sleep}: the weaver's
     * build output warns about this line.
     */
    @Async
    static Coroutine<Long> blockingFactorial(String name, int number) throws InterruptedException {
        long f = 1;
        for (int i = 2; i <= number; i++) {
            System.out.println("Task " + name + ": Compute factorial(" + number + "), currently i=" + i + "...");
            Thread.sleep(blockMillis);
            f *= i;
        }
        System.out.println("Task " + name + ": factorial(" + number + ") = " + f);
        return result(f);
    }

    @Async
    static Coroutine<Void> main() {
        double start = getRunningLoop().time();
        await(gather(createTask(factorial("A", 3)), createTask(factorial("B", 4))));
        System.out.printf("Total time: %.2f seconds%n", getRunningLoop().time() - start);
        return done();
    }

    @Async
    static Coroutine<Void> blockingMain() throws InterruptedException {
        double start = getRunningLoop().time();
        await(gather(createTask(blockingFactorial("A", 3)), createTask(blockingFactorial("B", 4))));
        System.out.printf("Total time: %.2f seconds%n", getRunningLoop().time() - start);
        return done();
    }
}
