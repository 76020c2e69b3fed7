package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Await in try-with-resources: in a resource initializer and in the body, with closing order, a failing body and a failing close. */
public class TryWithResourcesTarget {
    static final class Res implements AutoCloseable {
        final String name;

        Res(String name) {
            this.name = name;
            System.out.println("open " + name);
        }

        @Override
        public void close() {
            System.out.println("close " + name);
        }
    }

    static final class Faulty implements AutoCloseable {
        @Override
        public void close() {
            throw new IllegalStateException("close failed");
        }
    }

    @Async
    public static Coroutine<?> main() {
        try (Res a = new Res(await(later("a"))); Res b = new Res("b")) {
            System.out.println("body " + await(later(a.name + b.name)));
        }
        try (Res c = new Res("c")) {
            await(failLater(new IllegalArgumentException("body failed")));
        } catch (IllegalArgumentException e) {
            System.out.println("caught " + e.getMessage());
        }
        try (Faulty f = new Faulty()) {
            await(failLater(new IllegalArgumentException("primary")));
        } catch (IllegalArgumentException e) {
            System.out.println("primary " + e.getMessage() + ", suppressed " + e.getSuppressed()[0].getMessage());
        }
        Res outer = new Res("d");
        try (outer) {
            System.out.println("java 9 resource " + await(later(1)));
        }
        return done();
    }
}
/* Expected output:
open a
open b
body ab
close b
close a
open c
close c
caught body failed
primary primary, suppressed close failed
open d
java 9 resource 1
close d
*/
