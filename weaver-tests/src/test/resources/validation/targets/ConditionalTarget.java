package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Await in ternary arms and conditions, and on the right side of && and || (evaluated only when needed). */
public class ConditionalTarget {
    static boolean check(String tag, boolean value) {
        System.out.println("check " + tag);
        return value;
    }

    @Async
    public static Coroutine<?> main() {
        boolean yes = await(later(true));
        System.out.println(yes ? await(later("then")) : "else");
        System.out.println(!yes ? "then" : await(later("else")));
        int n = await(later(5)) > 3 ? await(later(1)) : await(later(2));
        System.out.println(n);
        Object mixed = yes ? await(later(1)) : await(later("s"));
        System.out.println(mixed);
        System.out.println(yes && await(later(false)));
        System.out.println(!yes && await(later(true)));
        System.out.println(!yes || await(later(true)));
        System.out.println(yes || check("never", true));
        if (check("a", true) && await(later(true)) && check("b", false) || await(later(true))) {
            System.out.println("taken");
        }
        long wide = yes ? await(later(2L)) : 0L;
        System.out.println(wide + 1);
        return done();
    }
}
/* Expected output:
then
else
1
1
false
false
true
true
check a
check b
taken
3
*/
