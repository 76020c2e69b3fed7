package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import java.util.Arrays;

/** Arrays of one, two and three dimensions, primitive and reference, created with awaited sizes and live across awaits. */
public class ArraysTarget {
    @Async
    public static Coroutine<?> main() {
        int[] one = {1, 2, 3};
        long[][] two = {{1L, 2L}, {3L}};
        String[][][] three = new String[2][2][2];
        three[1][0][1] = "deep";
        boolean[][] flags = new boolean[await(later(2))][];
        flags[1] = new boolean[] {true};
        double[][][] cube = new double[await(later(1))][await(later(2))][await(later(3))];
        cube[0][1][2] = await(later(9.5));
        await(sleep(0.01));
        System.out.println(Arrays.toString(one) + " " + Arrays.deepToString(two) + " " + Arrays.deepToString(three));
        System.out.println(Arrays.deepToString(flags) + " " + Arrays.deepToString(cube));
        Object[] objs = await(later(new Object[] {one, two, three}));
        System.out.println(((long[][]) objs[1])[1][0] + " " + ((String[][][]) objs[2])[1][0][1]);
        char[][] letters = {"ab".toCharArray(), "cd".toCharArray()};
        letters[await(later(1))][await(later(0))] = await(later('z'));
        System.out.println(new String(letters[0]) + new String(letters[1]));
        short[] sh = {await(later((short) 4))};
        byte[][] bs = {{await(later((byte) 5))}};
        float[][] fl = new float[1][await(later(1))];
        fl[0][0] = await(later(0.5f));
        await(later(0));
        System.out.println(sh[0] + " " + bs[0][0] + " " + fl[0][0]);
        return done();
    }
}
/* Expected output:
[1, 2, 3] [[1, 2], [3]] [[[null, null], [null, null]], [[null, deep], [null, null]]]
[null, [true]] [[[0.0, 0.0, 0.0], [0.0, 0.0, 9.5]]]
3 deep
abzd
4 5 0.5
*/
