package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import java.util.List;

/** Await as a method receiver, in chains, with a cast, with instanceof patterns, and as an array whose length is read. */
public class ReceiverTarget {
    @Async
    public static Coroutine<?> main() {
        System.out.println(await(later("hello")).length());
        System.out.println(await(later("a,b,c")).split(",").length);
        System.out.println(await(later("abc")).concat(await(later("def"))));
        System.out.println(await(later(List.of(1, 2, 3))).get(await(later(1))));
        Object o = await(later((Object) "str"));
        if (o instanceof String s && await(later(s.length())) == 3) {
            System.out.println("pattern " + s);
        }
        System.out.println(((String) await(later(o))).toUpperCase());
        System.out.println(await(later(new int[] {4, 5})).length);
        System.out.println(await(later(new StringBuilder("x"))).reverse().append(await(later("y"))));
        return done();
    }
}
/* Expected output:
5
3
abcdef
2
pattern str
STR
2
xy
*/
