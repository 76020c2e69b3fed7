package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Await in a for loop's initializer, condition, update and body, in nested loops and with two loop variables. */
public class ForLoopTarget {
    @Async
    public static Coroutine<?> main() {
        for (int i = await(later(0)); i < await(later(3)); i += await(later(1))) {
            System.out.println("i=" + i);
        }
        int sum = 0;
        for (int i = 0; i < 5; i++) {
            sum += await(later(i));
        }
        System.out.println("sum=" + sum);
        for (int i = 0, j = 10; i < j; i += 3, j -= await(later(2))) {
            System.out.println(i + "," + j);
        }
        StringBuilder grid = new StringBuilder();
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                grid.append(await(later(r * 3 + c)));
            }
        }
        System.out.println(grid);
        return done();
    }
}
/* Expected output:
i=0
i=1
i=2
sum=10
0,10
3,8
012345
*/
