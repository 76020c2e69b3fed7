package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;
import java.io.IOException;

/**
 * Returning another coroutine (before and after an await, on one branch), a boxed primitive result,
 * and done(); and returning a coroutine from inside try/catch/finally and try-with-resources, where
 * it is awaited at the return statement: before the finally and the closes, inside the catch.
 */
public class ReturnCoroutineTarget {
    static final class Resource implements AutoCloseable {
        private final String name;

        Resource(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            System.out.println("close " + name);
        }
    }
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
    static Coroutine<String> fetch(String what, boolean fail) throws IOException {
        System.out.println("fetch " + what);
        await(later(0));
        if (fail) {
            throw new IOException("no " + what);
        }
        return result(what + " fetched");
    }

    @Async
    static Coroutine<String> fetchOrFallback(boolean fail) {
        try {
            return fetch("data", fail);
        } catch (IOException e) {
            System.out.println("caught " + e.getMessage());
            return result("fallback");
        } finally {
            System.out.println("finally");
        }
    }

    @Async
    static Coroutine<String> caughtWithoutFinally() {
        try {
            return fetch("page", true);
        } catch (IOException e) {
            return result("caught " + e.getMessage());
        }
    }

    @Async
    static Coroutine<String> withResources() throws IOException {
        try (Resource a = new Resource("a"); Resource b = new Resource("b")) {
            System.out.println("body");
            return fetch("row", false);
        }
    }

    @Async
    static Coroutine<String> failingWithResource() {
        try (Resource r = new Resource("r")) {
            return fetch("file", true);
        } catch (IOException e) {
            return result("caught " + e.getMessage() + " after the close");
        }
    }

    @Async
    static Coroutine<String> nestedFinally(boolean which) throws IOException {
        try {
            try {
                return which ? fetch("inner", false) : result("plain");
            } finally {
                System.out.println("inner finally");
            }
        } finally {
            System.out.println("outer finally");
        }
    }

    @Async
    static Coroutine<String> awaitInFinally() throws IOException {
        try {
            return fetch("spilled", false);
        } finally {
            System.out.println("finally awaits " + await(later(2)));
        }
    }

    @Async
    static Coroutine<String> localReturnedInTry() throws IOException {
        Coroutine<String> c = fetch("local", false);
        System.out.println("created");
        try {
            return c;
        } finally {
            System.out.println("finally");
        }
    }

    @Async
    static Coroutine<String> localReturnedAfterTry() throws IOException {
        Coroutine<String> c;
        try {
            c = fetch("later", false);
        } finally {
            System.out.println("finally before the return");
        }
        return c;
    }

    @Async
    static Coroutine<Void> doneInFinally() {
        try {
            return done();
        } finally {
            System.out.println("finally of done");
        }
    }

    @Async
    public static Coroutine<?> main() throws IOException {
        Coroutine<String> lazy = delegate("a");
        System.out.println("created");
        System.out.println(await(lazy));
        System.out.println(await(delegateAfterAwait("b")));
        System.out.println(await(boxed()));
        System.out.println(await(nothing()));
        System.out.println(await(conditional(true)) + " " + await(conditional(false)));
        System.out.println(await(fetchOrFallback(false)));
        System.out.println(await(fetchOrFallback(true)));
        System.out.println(await(caughtWithoutFinally()));
        System.out.println(await(withResources()));
        System.out.println(await(failingWithResource()));
        System.out.println(await(nestedFinally(true)));
        System.out.println(await(nestedFinally(false)));
        System.out.println(await(awaitInFinally()));
        System.out.println(await(localReturnedInTry()));
        System.out.println(await(localReturnedAfterTry()));
        System.out.println(await(doneInFinally()));
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
fetch data
finally
data fetched
fetch data
caught no data
finally
fallback
fetch page
caught no page
body
fetch row
close b
close a
row fetched
fetch file
close r
caught no file after the close
fetch inner
inner finally
outer finally
inner fetched
inner finally
outer finally
plain
fetch spilled
finally awaits 2
spilled fetched
created
fetch local
finally
local fetched
finally before the return
fetch later
later fetched
finally of done
null
*/
