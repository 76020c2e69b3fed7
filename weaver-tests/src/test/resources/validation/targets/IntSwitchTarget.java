package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Switch on int and char (dense and sparse), await as the selector and in case bodies, fall-through, and switch expressions. */
public class IntSwitchTarget {
    @Async
    public static Coroutine<?> main() {
        for (int i = 0; i < 5; i++) {
            switch (await(later(i))) {
                case 0:
                    System.out.println("zero " + await(later("a")));
                    break;
                case 1:
                case 2:
                    System.out.println("one or two");
                    // falls through
                case 3:
                    System.out.println("three-ish " + await(later(i)));
                    break;
                default:
                    System.out.println("default " + i);
            }
        }
        for (int v : new int[] {1, 100, 10000, 7}) {
            switch (v) {
                case 1 -> System.out.println("sparse 1 " + await(later(1)));
                case 100 -> {
                    await(sleep(0.01));
                    System.out.println("sparse 100");
                }
                case 10000 -> System.out.println("sparse 10000 " + await(later("!")));
                default -> System.out.println("sparse other");
            }
        }
        switch (await(later('b'))) {
            case 'a' -> System.out.println("char a");
            case 'b' -> System.out.println("char b " + await(later('!')));
            default -> System.out.println("char other");
        }
        int w = switch (await(later(2))) {
            case 1 -> 10;
            case 2 -> await(later(20));
            default -> {
                int t = await(later(30));
                yield t + 1;
            }
        };
        System.out.println("switch expression " + w);
        // ECJ 3.33 drops the checkcast of an arm that is a bare generic call inside a concatenation,
        // so the awaited value goes through a local: the stack still holds the concatenation.
        System.out.println("inline " + switch (w) {
            case 20 -> {
                String s = await(later("twenty"));
                yield s;
            }
            default -> "other";
        } + " " + w);
        return done();
    }
}
/* Expected output:
zero a
one or two
three-ish 1
one or two
three-ish 2
three-ish 3
default 4
sparse 1 1
sparse 100
sparse 10000 !
sparse other
char b !
switch expression 20
inline twenty 20
*/
