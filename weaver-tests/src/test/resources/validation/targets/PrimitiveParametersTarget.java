package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Parameters of every primitive type (long and double taking two slots) read after awaits, static and instance. */
public class PrimitiveParametersTarget {
    private final long scale;

    PrimitiveParametersTarget(long scale) {
        this.scale = scale;
    }

    @Async
    static Coroutine<String> all(boolean z, byte b, char c, short s, int i, long l, float f, double d, String str) {
        await(sleep(0.01));
        String first = z + " " + b + " " + c + " " + s + " " + i + " " + l + " " + f + " " + d + " " + str;
        await(later(0));
        return result(first + " | " + (b + c + s + i + l + f + d));
    }

    @Async
    static Coroutine<Long> wide(long a, double b, long c) {
        long sum = a + await(later(c));
        return result(sum + (long) b);
    }

    @Async
    Coroutine<Double> scaled(double x, int times, char unit) {
        await(sleep(0.01));
        System.out.println("unit " + unit);
        return result(x * times * scale);
    }

    @Async
    public static Coroutine<?> main() {
        System.out.println(await(all(true, (byte) -5, 'A', (short) 1000, 123456, -9L, 0.5f, 1e10, "s")));
        System.out.println(await(wide(1L << 33, 2.9, 5L)));
        System.out.println(await(new PrimitiveParametersTarget(3L).scaled(0.5, 4, 'm')));
        return done();
    }
}
/* Expected output:
true -5 A 1000 123456 -9 0.5 1.0E10 s | 1.00001245075E10
8589934599
unit m
6.0
*/
