package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Nested try blocks: a failure at resume reaches the inner or the outer handler as the source says, through finally blocks and coroutine calls. */
public class NestedTryTarget {
    @Async
    static Coroutine<Integer> failing(String why) {
        await(sleep(0.01));
        throw new IllegalStateException(why);
    }

    @Async
    public static Coroutine<?> main() {
        try {
            try {
                await(failLater(new IllegalStateException("inner")));
            } catch (IllegalStateException e) {
                System.out.println("inner handler " + e.getMessage());
            }
            try {
                await(failLater(new IllegalArgumentException("outer")));
            } catch (IllegalStateException e) {
                System.out.println("wrong handler");
            }
            System.out.println("not reached");
        } catch (IllegalArgumentException e) {
            System.out.println("outer handler " + e.getMessage());
        }
        try {
            try {
                await(later(1));
                throw new RuntimeException("thrown after resume");
            } finally {
                System.out.println("inner finally " + await(later(2)));
            }
        } catch (RuntimeException e) {
            System.out.println("outer caught " + e.getMessage());
            try {
                await(failLater(new IllegalStateException("in catch")));
            } catch (IllegalStateException e2) {
                System.out.println("nested in catch " + e2.getMessage());
            }
        } finally {
            System.out.println("outer finally");
        }
        for (int i = 0; i < 3; i++) {
            try {
                try {
                    if (await(later(i)) % 2 == 0) {
                        throw new IllegalStateException("even " + i);
                    }
                    System.out.println("odd " + i);
                } catch (IllegalStateException e) {
                    System.out.println("inner " + e.getMessage());
                    if (i == 2) {
                        throw new IllegalArgumentException("rethrown " + i);
                    }
                }
            } catch (IllegalArgumentException e) {
                System.out.println("outer " + e.getMessage());
            }
        }
        try {
            await(failing("deep"));
        } catch (IllegalStateException e) {
            System.out.println("from callee " + e.getMessage());
        }
        return done();
    }
}
/* Expected output:
inner handler inner
outer handler outer
inner finally 2
outer caught thrown after resume
nested in catch in catch
outer finally
inner even 0
odd 1
inner even 2
outer rethrown 2
from callee deep
*/
