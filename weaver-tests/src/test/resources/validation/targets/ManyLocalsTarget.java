package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Sixty locals (int, long, double, String: 90 slots) all live across several awaits. */
public class ManyLocalsTarget {
    @Async
    public static Coroutine<?> main() {
        int i0 = 0;
        long l0 = 100L;
        int i1 = 1;
        long l1 = 101L;
        int i2 = 2;
        long l2 = 102L;
        int i3 = 3;
        long l3 = 103L;
        int i4 = 4;
        long l4 = 104L;
        int i5 = 5;
        long l5 = 105L;
        int i6 = 6;
        long l6 = 106L;
        int i7 = 7;
        long l7 = 107L;
        int i8 = 8;
        long l8 = 108L;
        int i9 = 9;
        long l9 = 109L;
        int i10 = 10;
        long l10 = 110L;
        int i11 = 11;
        long l11 = 111L;
        int i12 = 12;
        long l12 = 112L;
        int i13 = 13;
        long l13 = 113L;
        int i14 = 14;
        long l14 = 114L;
        double d0 = 0.5;
        String s0 = "a";
        double d1 = 1.5;
        String s1 = "b";
        double d2 = 2.5;
        String s2 = "c";
        double d3 = 3.5;
        String s3 = "d";
        double d4 = 4.5;
        String s4 = "e";
        double d5 = 5.5;
        String s5 = "f";
        double d6 = 6.5;
        String s6 = "g";
        double d7 = 7.5;
        String s7 = "h";
        double d8 = 8.5;
        String s8 = "i";
        double d9 = 9.5;
        String s9 = "j";
        double d10 = 10.5;
        String s10 = "k";
        double d11 = 11.5;
        String s11 = "l";
        double d12 = 12.5;
        String s12 = "m";
        double d13 = 13.5;
        String s13 = "n";
        double d14 = 14.5;
        String s14 = "o";
        await(sleep(0.01));
        int ints = i0 + i1 + i2 + i3 + i4 + i5 + i6 + i7 + i8 + i9 + i10 + i11 + i12 + i13 + i14;
        await(later(0));
        long longs = l0 + l1 + l2 + l3 + l4 + l5 + l6 + l7 + l8 + l9 + l10 + l11 + l12 + l13 + l14;
        double doubles = await(later(d0)) + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9 + d10 + d11 + d12 + d13 + d14;
        String strings = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11 + s12 + s13 + s14;
        System.out.println("ints " + ints + " longs " + longs + " doubles " + doubles + " strings " + strings);
        return done();
    }
}
/* Expected output:
ints 105 longs 1605 doubles 112.5 strings abcdefghijklmno
*/
