package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import java.util.Arrays;

/** Await as an array index, as the stored value, in compound assignment to an element, and as the array itself. */
public class ArrayAccessTarget {
    @Async
    public static Coroutine<?> main() {
        int[] xs = {10, 20, 30, 40};
        System.out.println(xs[await(later(2))]);
        xs[await(later(0))] = await(later(99));
        System.out.println(Arrays.toString(xs));
        xs[1] += await(later(5));
        xs[await(later(3))]++;
        System.out.println(Arrays.toString(xs));
        String[] names = new String[await(later(3))];
        names[await(later(1))] = await(later("b")) + await(later("c"));
        System.out.println(Arrays.toString(names));
        long[] ls = new long[2];
        ls[await(later(1))] = 1L + await(later(2L));
        double[] ds = {0.5};
        ds[0] *= await(later(4.0));
        char[] cs = "abc".toCharArray();
        cs[await(later(2))] = await(later('z'));
        System.out.println(Arrays.toString(ls) + Arrays.toString(ds) + new String(cs));
        System.out.println(await(later(xs))[await(later(3))]);
        String[] init = {await(later("p")), "q", await(now("r"))};
        System.out.println(String.join("", init));
        return done();
    }
}
/* Expected output:
30
[99, 20, 30, 40]
[99, 25, 30, 41]
[null, bc, null]
[0, 3][2.0]abz
41
pqr
*/
