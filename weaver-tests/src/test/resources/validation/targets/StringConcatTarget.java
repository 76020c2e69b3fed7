package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Await inside string concatenation and += on strings, mixed with every kind of operand. */
public class StringConcatTarget {
    @Async
    public static Coroutine<?> main() {
        String name = "weft";
        int n = 3;
        System.out.println("hello " + await(later(name)) + "!");
        System.out.println(await(later("a")) + n + await(later('c')) + 1.5 + await(later(2L)) + true);
        String s = "x";
        s += await(later("y"));
        s += await(later(1)) + await(later(2));
        System.out.println(s);
        char c = 'q';
        System.out.println(c + await(later("r")) + c);
        System.out.println(1 + 2 + await(later("=")) + 1 + 2);
        Object nothing = null;
        System.out.println("null " + await(later(nothing)) + " " + nothing);
        return done();
    }
}
/* Expected output:
hello weft!
a3c1.52true
xy3
qrq
3=12
null null null
*/
