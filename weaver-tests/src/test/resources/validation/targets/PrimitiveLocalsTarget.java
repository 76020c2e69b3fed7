package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Locals of every primitive type, extreme values included, live across awaits and updated by compound assignment with awaited values. */
public class PrimitiveLocalsTarget {
    @Async
    public static Coroutine<?> main() {
        boolean z = true;
        byte b = 1;
        char c = 'c';
        short s = 300;
        int i = 70000;
        long l = 1L << 40;
        float f = 1.5f;
        double d = 2.25;
        await(sleep(0.01));
        System.out.println(z + " " + b + " " + c + " " + s + " " + i + " " + l + " " + f + " " + d);
        z = !await(later(z));
        b += await(later((byte) 2));
        c = await(later('d'));
        s *= await(later((short) 2));
        i -= await(later(1));
        l += await(later(1L));
        f /= await(later(2f));
        d *= await(later(2.0));
        System.out.println(z + " " + b + " " + c + " " + s + " " + i + " " + l + " " + f + " " + d);
        byte min = Byte.MIN_VALUE;
        char maxChar = Character.MAX_VALUE;
        long neg = Long.MIN_VALUE;
        double nan = Double.NaN;
        float inf = Float.NEGATIVE_INFINITY;
        await(later(null));
        System.out.println(min + " " + (int) maxChar + " " + neg + " " + nan + " " + inf);
        return done();
    }
}
/* Expected output:
true 1 c 300 70000 1099511627776 1.5 2.25
false 3 d 600 69999 1099511627777 0.75 4.5
-128 65535 -9223372036854775808 NaN -Infinity
*/
