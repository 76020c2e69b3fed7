package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** @Async methods of an inner class reading the outer instance's private field, of a static nested class, and of a local class capturing a variable. */
public class InnerClassesTarget {
    private int base = 100;

    class Inner {
        private final int offset = 5;

        @Async
        Coroutine<Integer> compute(int x) {
            await(sleep(0.01));
            return result(base + offset + await(later(x)));
        }
    }

    static class Nested {
        @Async
        static Coroutine<String> hello() {
            await(later(0));
            return result("nested static");
        }
    }

    interface Named {
        Coroutine<String> run();
    }

    static Named local(String tag) {
        String suffix = "!";
        class Local implements Named {
            @Async
            @Override
            public Coroutine<String> run() {
                await(sleep(0.01));
                return result("local " + tag + suffix);
            }
        }
        return new Local();
    }

    @Async
    public static Coroutine<?> main() {
        InnerClassesTarget outer = new InnerClassesTarget();
        InnerClassesTarget.Inner inner = outer.new Inner();
        System.out.println(await(inner.compute(1)));
        outer.base = 200;
        System.out.println(await(inner.compute(2)));
        System.out.println(await(Nested.hello()));
        System.out.println(await(local("class").run()));
        return done();
    }
}
/* Expected output:
106
207
nested static
local class!
*/
