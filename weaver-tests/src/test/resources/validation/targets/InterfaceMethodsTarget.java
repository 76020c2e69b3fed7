package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** @Async default, static and private methods of an interface, implemented by a lambda and by a record (which has its own @Async method). */
public class InterfaceMethodsTarget {
    interface Greeter {
        String name();

        @Async
        default Coroutine<String> greet(String whom) {
            await(sleep(0.01));
            return result(name() + " greets " + await(decorate(whom)));
        }

        @Async
        private Coroutine<String> decorate(String s) {
            await(later(0));
            return result("<" + s + ">");
        }

        @Async
        static Coroutine<Greeter> named(String n) {
            await(later(0));
            return result(() -> n);
        }
    }

    record Person(String name) implements Greeter {
        @Async
        Coroutine<String> shout() {
            await(later(0));
            return result(name.toUpperCase());
        }
    }

    @Async
    public static Coroutine<?> main() {
        Greeter g = await(Greeter.named("lambda"));
        System.out.println(await(g.greet("you")));
        Person p = new Person("rec");
        System.out.println(await(p.greet("me")));
        System.out.println(await(p.shout()));
        return done();
    }
}
/* Expected output:
lambda greets <you>
rec greets <me>
REC
*/
