package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Await on either side of arithmetic, shift, bitwise and comparison operators, with int, long, float and double operands. */
public class BinaryOperatorsTarget {
    @Async
    public static Coroutine<?> main() {
        int a = 10;
        System.out.println(await(later(3)) + a);
        System.out.println(a - await(later(3)));
        System.out.println(await(later(6)) * await(later(7)));
        long big = 1L << 40;
        System.out.println(big + await(later(5L)));
        System.out.println(big - await(later(1L)) * 2);
        System.out.println(await(later(2.5)) / 2);
        double d = 1.5;
        System.out.println(d * await(later(4.0)) + d);
        System.out.println(17 % await(later(5)));
        System.out.println((1 << await(later(4))) | await(later(1)));
        System.out.println(await(later(12)) >> 2 ^ 1);
        System.out.println(await(later(3)) < a);
        System.out.println(await(later("x")) == null);
        System.out.println(a == await(later(10)));
        System.out.println(-await(later(5)) * 2.0f);
        return done();
    }
}
/* Expected output:
13
7
42
1099511627781
1099511627774
1.25
7.5
2
17
2
true
false
true
-10.0
*/
