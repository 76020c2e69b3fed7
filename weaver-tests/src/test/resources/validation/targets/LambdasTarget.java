package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import java.util.List;
import java.util.function.Function;
import java.util.function.IntBinaryOperator;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Lambdas and method references (without awaits inside) created in an @Async method, capturing values, and called after resumes. */
public class LambdasTarget {
    @Async
    public static Coroutine<?> main() {
        int base = await(later(10));
        Function<Integer, Integer> add = x -> x + base;
        Supplier<String> sup = () -> "supplied";
        Runnable r = () -> System.out.println("runnable ran");
        await(sleep(0.01));
        System.out.println(add.apply(await(later(5))));
        r.run();
        System.out.println(List.of(1, 2, 3).stream().map(add).map(String::valueOf).collect(Collectors.joining(",", "[", "]"))
                + await(later(sup.get())));
        IntBinaryOperator op = Math::max;
        System.out.println(op.applyAsInt(await(later(3)), 4));
        return done();
    }
}
/* Expected output:
15
runnable ran
[11,12,13]supplied
4
*/
