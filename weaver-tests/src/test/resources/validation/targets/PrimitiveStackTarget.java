package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Operand-stack values of every primitive type live across an await: earlier arguments and left operands. */
public class PrimitiveStackTarget {
    static String show(boolean z, byte b, char c, short s, int i, long l, float f, double d) {
        return z + "," + b + "," + c + "," + s + "," + i + "," + l + "," + f + "," + d;
    }

    @Async
    public static Coroutine<?> main() {
        boolean z = true;
        byte b = 7;
        char c = 'x';
        short s = -2;
        int i = 9;
        long l = 5_000_000_000L;
        float f = 0.25f;
        double d = -0.5;
        System.out.println(show(z, b, c, s, i, l, f, await(later(d))));
        System.out.println(show(await(later(z)), b, c, s, i, l, f, d));
        System.out.println(show(z, b, c, s, i, await(later(l)), f, await(later(d))));
        System.out.println(show(z, await(later(b)), await(later(c)), await(later(s)), await(later(i)), l, await(later(f)), d));
        long product = l * await(later(2L));
        double mix = d + i * await(later(1.5));
        float ff = f - await(later(0.125f));
        boolean both = z & await(later(false));
        char next = (char) (c + await(later(1)));
        byte bb = (byte) (b << await(later(4)));
        short ss = (short) (s * await(later((short) 3)));
        System.out.println(product + " " + mix + " " + ff + " " + both + " " + next + " " + bb + " " + ss);
        return done();
    }
}
/* Expected output:
true,7,x,-2,9,5000000000,0.25,-0.5
true,7,x,-2,9,5000000000,0.25,-0.5
true,7,x,-2,9,5000000000,0.25,-0.5
true,7,x,-2,9,5000000000,0.25,-0.5
10000000000 13.0 0.125 false y 112 -6
*/
