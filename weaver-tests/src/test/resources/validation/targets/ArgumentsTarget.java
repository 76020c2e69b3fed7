package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Await as a method argument, in every argument position, with the receiver already on the stack. */
public class ArgumentsTarget {
    static String join(String a, String b, String c) {
        return a + "-" + b + "-" + c;
    }

    static int sum(int... xs) {
        int s = 0;
        for (int x : xs) {
            s += x;
        }
        return s;
    }

    static String describe(long l, double d, String s) {
        return l + "/" + d + "/" + s;
    }

    @Async
    public static Coroutine<?> main() {
        System.out.println(join(await(later("a")), "b", "c"));
        System.out.println(join("a", await(later("b")), "c"));
        System.out.println(join("a", "b", await(later("c"))));
        System.out.println(join(await(later("x")), await(later("y")), await(later("z"))));
        System.out.println(sum(1, await(later(2)), 3, await(later(4))));
        System.out.println(describe(7L, await(later(2.5)), "s"));
        System.out.println(Math.max(await(later(3)), await(later(9))));
        System.out.println(String.valueOf(await(now(42))));
        StringBuilder sb = new StringBuilder("<");
        sb.append(await(later("q"))).append(await(later(1))).append('>');
        System.out.println(sb);
        return done();
    }
}
/* Expected output:
a-b-c
a-b-c
a-b-c
x-y-z
10
7/2.5/s
9
42
<q1>
*/
