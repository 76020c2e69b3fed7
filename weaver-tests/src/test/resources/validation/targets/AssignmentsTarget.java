package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Await assigned to static and instance fields, in compound assignments, and mixed with ++ on fields and locals. */
public class AssignmentsTarget {
    static int counter;
    static String label = "none";
    int value;

    @Async
    public static Coroutine<?> main() {
        counter = await(later(5));
        counter += await(later(3));
        label = await(later("set"));
        AssignmentsTarget t = new AssignmentsTarget();
        t.value = await(later(7));
        t.value *= await(later(2));
        int local;
        local = await(later(1)) + counter++;
        int x = 0;
        x += await(later(4));
        x = x++ + await(later(10));
        System.out.println(counter + " " + label + " " + t.value + " " + local + " " + x);
        return done();
    }
}
/* Expected output:
9 set 14 9 14
*/
