package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** An @Async method awaiting itself 10,000 levels deep, once suspending at the bottom and once never suspending, without a StackOverflowError. */
public class DeepRecursionTarget {
    @Async
    static Coroutine<Integer> depth(int n) {
        if (n == 0) {
            await(sleep(0.01));
            return result(0);
        }
        int below = await(depth(n - 1));
        return result(below + 1);
    }

    @Async
    static Coroutine<Long> sum(int n) {
        if (n == 0) {
            return result(0L);
        }
        return result(n + await(sum(n - 1)));
    }

    @Async
    static Coroutine<Integer> countdown(int n) {
        if (n == 0) {
            return result(await(later(0)));
        }
        return countdown(n - 1);
    }

    @Async
    public static Coroutine<?> main() {
        System.out.println(await(depth(10_000)));
        System.out.println(await(sum(10_000)));
        System.out.println(await(countdown(10_000)));
        return done();
    }
}
/* Expected output:
10000
50005000
0
*/
