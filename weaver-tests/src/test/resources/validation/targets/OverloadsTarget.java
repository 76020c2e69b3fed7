package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Overloaded @Async methods of one name (static and instance, varargs included): each gets its own state machine. */
public class OverloadsTarget {
    @Async
    static Coroutine<String> fetch() {
        await(later(0));
        return result("fetch()");
    }

    @Async
    static Coroutine<String> fetch(int id) {
        await(sleep(0.01));
        return result("fetch(int " + id + ")");
    }

    @Async
    static Coroutine<String> fetch(long id) {
        await(later(0));
        return result("fetch(long " + id + ")");
    }

    @Async
    static Coroutine<String> fetch(String key) {
        return result("fetch(String " + await(later(key)) + ")");
    }

    @Async
    static Coroutine<String> fetch(int id, String key) {
        return result("fetch(int, String) " + await(fetch(id)) + " " + await(fetch(key)));
    }

    @Async
    static Coroutine<String> fetch(String... keys) {
        await(later(0));
        return result("fetch(String...) " + String.join("+", keys));
    }

    @Async
    Coroutine<String> fetch(double d) {
        await(sleep(0.01));
        return result("fetch(double " + d + ") on instance");
    }

    @Async
    public static Coroutine<?> main() {
        System.out.println(await(fetch()));
        System.out.println(await(fetch(1)));
        System.out.println(await(fetch(2L)));
        System.out.println(await(fetch("k")));
        System.out.println(await(fetch(3, "z")));
        System.out.println(await(fetch("a", "b")));
        System.out.println(await(new OverloadsTarget().fetch(1.5)));
        return done();
    }
}
/* Expected output:
fetch()
fetch(int 1)
fetch(long 2)
fetch(String k)
fetch(int, String) fetch(int 3) fetch(String z)
fetch(String...) a+b
fetch(double 1.5) on instance
*/
