package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Instance @Async methods (public, package and private) that read and write instance fields after resuming and await each other. */
public class InstanceMethodsTarget {
    static int instances;
    private final String name;
    private int hits;

    InstanceMethodsTarget(String name) {
        this.name = name;
        instances++;
    }

    @Async
    Coroutine<String> greet(String whom) {
        hits++;
        await(sleep(0.01));
        hits++;
        return result(name + " greets " + whom + " (" + hits + ")");
    }

    @Async
    public Coroutine<Integer> twice() {
        String a = await(greet("x"));
        String b = await(this.greet("y"));
        System.out.println(a);
        System.out.println(b);
        return result(hits);
    }

    @Async
    private Coroutine<Void> privateStep() {
        await(later(0));
        System.out.println("private " + name + " " + hits);
        return done();
    }

    @Async
    public static Coroutine<?> main() {
        InstanceMethodsTarget t = new InstanceMethodsTarget("t");
        System.out.println(await(t.twice()));
        InstanceMethodsTarget u = new InstanceMethodsTarget("u");
        System.out.println(await(u.greet(await(t.greet("nested")))));
        await(u.privateStep());
        System.out.println(instances + " " + t.hits + " " + u.hits);
        return done();
    }
}
/* Expected output:
t greets x (2)
t greets y (4)
4
u greets t greets nested (6) (2)
private u 2
2 6 2
*/
