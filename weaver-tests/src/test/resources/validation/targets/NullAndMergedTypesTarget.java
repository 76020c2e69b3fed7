package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import java.io.IOException;

/** Null locals live across awaits, locals whose type differs by branch (merged in the frame), and one slot reused for different types. */
public class NullAndMergedTypesTarget {
    @Async
    public static Coroutine<?> main() {
        String nothing = null;
        Object maybe = null;
        int[] noArray = null;
        await(sleep(0.01));
        System.out.println(nothing + " " + maybe + " " + (noArray == null));
        for (int round = 0; round < 2; round++) {
            Object value;
            if (await(later(round)) == 0) {
                value = "text";
            } else {
                value = Integer.valueOf(7);
            }
            await(later(0));
            System.out.println("round " + round + ": " + value + " " + value.getClass().getSimpleName());
        }
        CharSequence cs = await(later(true)) ? new StringBuilder("builder") : "string";
        await(later(0));
        System.out.println(cs.length() + " " + cs);
        Exception e = await(later(true)) ? new IOException("io") : new IllegalStateException("ise");
        await(later(0));
        System.out.println("merged " + e.getMessage());
        {
            String a = await(later("first block"));
            System.out.println(a);
        }
        {
            long a = await(later(64L));
            await(sleep(0.01));
            System.out.println(a);
        }
        {
            double[] a = {await(later(1.5))};
            await(sleep(0.01));
            System.out.println(a[0]);
        }
        String lazy = null;
        if (await(later(false))) {
            lazy = "set";
        }
        await(later(0));
        System.out.println("lazy " + lazy);
        return done();
    }
}
/* Expected output:
null null true
round 0: text String
round 1: 7 Integer
7 builder
merged io
first block
64
1.5
lazy null
*/
