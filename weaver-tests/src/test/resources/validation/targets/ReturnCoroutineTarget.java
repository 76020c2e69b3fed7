package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Returning another coroutine (before and after an await, on one branch), a boxed primitive result, and done(). */
public class ReturnCoroutineTarget {
    @Async
    static Coroutine<String> inner(String s) {
        await(sleep(0.01));
        return result("inner " + s);
    }

    @Async
    static Coroutine<String> delegate(String s) {
        System.out.println("delegating");
        return inner(s);
    }

    @Async
    static Coroutine<String> delegateAfterAwait(String s) {
        String t = await(later(s + "!"));
        return inner(t);
    }

    @Async
    static Coroutine<Integer> boxed() {
        int x = await(later(41));
        return result(x + 1);
    }

    @Async
    static Coroutine<Void> nothing() {
        await(later(0));
        System.out.println("nothing done");
        return done();
    }

    @Async
    static Coroutine<String> conditional(boolean which) {
        if (which) {
            return inner("if");
        }
        return result("else");
    }

    @Async
    public static Coroutine<?> main() {
        Coroutine<String> lazy = delegate("a");
        System.out.println("created");
        System.out.println(await(lazy));
        System.out.println(await(delegateAfterAwait("b")));
        System.out.println(await(boxed()));
        System.out.println(await(nothing()));
        System.out.println(await(conditional(true)) + " " + await(conditional(false)));
        return done();
    }
}
/* Expected output:
created
delegating
inner a
inner b!
42
nothing done
null
inner if else
*/
