package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import dev.weft.runtime.CancelledError;
import dev.weft.runtime.Task;

/** Cancellation delivered at an await inside try/finally: catch (Exception) does not swallow it, finally runs, and a finally may await. */
public class CancellationTarget {
    @Async
    static Coroutine<String> guarded() {
        try {
            System.out.println("guarded waits");
            await(sleep(10));
            System.out.println("not reached");
            return result("finished");
        } catch (Exception e) {
            System.out.println("wrongly swallowed");
            return result("swallowed");
        } finally {
            System.out.println("guarded finally runs");
        }
    }

    @Async
    static Coroutine<String> cleanupAwaits() {
        try {
            await(sleep(10));
            return result("x");
        } catch (CancelledError e) {
            System.out.println("saw cancellation");
            throw e;
        } finally {
            System.out.println("cleanup " + await(later("done")));
        }
    }

    @Async
    public static Coroutine<?> main() {
        Task<String> t = createTask(guarded());
        await(sleep(0.01));
        t.cancel();
        try {
            await(t);
            System.out.println("not reached");
        } catch (CancelledError e) {
            System.out.println("task cancelled: " + t.isCancelled());
        }
        Task<String> t2 = createTask(cleanupAwaits());
        await(sleep(0.01));
        t2.cancel();
        try {
            await(t2);
        } catch (CancelledError e) {
            System.out.println("t2 cancelled: " + t2.isCancelled());
        }
        return done();
    }
}
/* Expected output:
guarded waits
guarded finally runs
task cancelled: true
saw cancellation
cleanup done
t2 cancelled: true
*/
