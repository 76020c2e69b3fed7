package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import java.util.List;

/** Await around labeled break and continue, a labeled block, and a return from inside a loop. */
public class LabeledLoopsTarget {
    @Async
    static Coroutine<Integer> indexOf(int[] xs, int wanted) {
        for (int i = 0; i < xs.length; i++) {
            if (await(later(xs[i])) == wanted) {
                return result(i);
            }
        }
        return result(-1);
    }

    @Async
    public static Coroutine<?> main() {
        outer:
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                if (j == await(later(2))) {
                    continue outer;
                }
                if (i == await(later(2))) {
                    break outer;
                }
                System.out.println(i + "" + j);
            }
        }
        int n = 0;
        loop:
        while (true) {
            n += await(later(1));
            if (n % 2 == 0) {
                continue loop;
            }
            if (n > 5) {
                break loop;
            }
            System.out.println("odd " + n);
        }
        System.out.println("ended at " + n);
        found:
        {
            for (String s : List.of("a", "b", "c")) {
                if (await(later(s)).equals("b")) {
                    System.out.println("found " + s);
                    break found;
                }
            }
            System.out.println("not found");
        }
        System.out.println(await(indexOf(new int[] {5, 6, 7}, 7)) + " " + await(indexOf(new int[] {1}, 9)));
        return done();
    }
}
/* Expected output:
00
01
10
11
odd 1
odd 3
odd 5
ended at 7
found b
2 -1
*/
