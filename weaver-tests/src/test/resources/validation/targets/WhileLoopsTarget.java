package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Await in while and do-while loops (body and condition) and in infinite loops left by break. */
public class WhileLoopsTarget {
    @Async
    public static Coroutine<?> main() {
        int n = 3;
        while (n > 0) {
            System.out.println("while " + n);
            n -= await(later(1));
        }
        int k = 0;
        do {
            k += await(later(2));
            System.out.println("do " + k);
        } while (k < await(later(5)));
        int count = 0;
        while (true) {
            if (await(later(count)) == 2) {
                break;
            }
            count++;
        }
        System.out.println("true-loop stopped at " + count);
        for (;;) {
            await(sleep(0.01));
            if (++count >= 4) {
                break;
            }
        }
        System.out.println("for(;;) stopped at " + count);
        while (await(later(n)) < 2) {
            n++;
        }
        System.out.println("condition await " + n);
        return done();
    }
}
/* Expected output:
while 3
while 2
while 1
do 2
do 4
do 6
true-loop stopped at 2
for(;;) stopped at 4
condition await 2
*/
