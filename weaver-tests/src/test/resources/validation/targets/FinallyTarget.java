package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Await in finally blocks, reached normally, by return, by a thrown exception, and by continue and break (the compilers copy finally blocks). */
public class FinallyTarget {
    @Async
    static Coroutine<String> returnsThroughFinally() {
        try {
            return result(await(later("from try")));
        } finally {
            System.out.println("finally after return " + await(later(1)));
        }
    }

    @Async
    static Coroutine<Integer> throwsThroughFinally() {
        try {
            await(failLater(new IllegalStateException("inner")));
            return result(1);
        } finally {
            await(sleep(0.01));
            System.out.println("finally after throw");
        }
    }

    @Async
    public static Coroutine<?> main() {
        try {
            System.out.println("try");
            await(later(0));
        } finally {
            System.out.println("finally " + await(later("A")));
        }
        System.out.println(await(returnsThroughFinally()));
        try {
            await(throwsThroughFinally());
        } catch (IllegalStateException e) {
            System.out.println("caught " + e.getMessage());
        }
        for (int i = 0; i < 3; i++) {
            try {
                if (i == 1) {
                    continue;
                }
                if (i == 2) {
                    break;
                }
                System.out.println("loop body " + i);
            } finally {
                System.out.println("loop finally " + await(later(i)));
            }
        }
        return done();
    }
}
/* Expected output:
try
finally A
finally after return 1
from try
finally after throw
caught inner
loop body 0
loop finally 0
loop finally 1
loop finally 2
*/
