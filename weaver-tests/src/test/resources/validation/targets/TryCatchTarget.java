package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Await in a try block and in its catch block; a failure delivered at resume and one thrown after resume, each caught by the right clause. */
public class TryCatchTarget {
    @Async
    public static Coroutine<?> main() {
        try {
            System.out.println("try " + await(later(1)));
            await(failLater(new IllegalStateException("boom")));
            System.out.println("not reached");
        } catch (IllegalStateException e) {
            System.out.println("caught " + e.getMessage());
            System.out.println("in catch " + await(later(2)));
        }
        try {
            int x = await(later(0));
            System.out.println(10 / x);
        } catch (ArithmeticException e) {
            System.out.println("arithmetic after resume: " + await(later(e.getMessage())));
        }
        String r;
        try {
            r = await(failLater(new UnsupportedOperationException("nope")));
        } catch (IllegalStateException e) {
            r = "wrong";
        } catch (RuntimeException e) {
            r = "runtime " + e.getMessage();
        }
        System.out.println(r);
        try {
            await(failLater(new IllegalArgumentException("multi")));
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.out.println("multi-catch " + e.getClass().getSimpleName());
        }
        return done();
    }
}
/* Expected output:
try 1
caught boom
in catch 2
arithmetic after resume: / by zero
runtime nope
multi-catch IllegalArgumentException
*/
