package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import java.util.ArrayList;
import java.util.List;

/**
 * Await in constructor arguments while the new object is still uninitialized on the stack, nested
 * news included, and news whose object is dropped (ECJ writes those without a dup).
 */
public class NewUninitializedTarget {
    static final class Point {
        final int x;
        final int y;

        Point(int x, int y) {
            this.x = x;
            this.y = y;
        }

        @Override
        public String toString() {
            return "(" + x + "," + y + ")";
        }
    }

    static final class Line {
        final Point a;
        final Point b;

        Line(Point a, Point b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public String toString() {
            return a + "-" + b;
        }
    }

    static final class Box {
        final String label;

        Box(String label) {
            this.label = label;
            System.out.println("Box " + label);
        }

        Box(String label, long n) {
            this(label + " " + n);
        }

        @Override
        public String toString() {
            return "[" + label + "]";
        }
    }

    @Async
    public static Coroutine<?> main() {
        Point p = new Point(await(later(1)), await(later(2)));
        System.out.println(p);
        System.out.println(new Box(await(later("one"))));
        Line l = new Line(new Point(await(later(3)), 4), new Point(5, await(later(6))));
        System.out.println(l);
        System.out.println(new Line(new Point(1, await(later(2))), await(later(new Point(7, 8)))));
        List<String> list = new ArrayList<>(await(later(List.of("u", "v"))));
        System.out.println(list);
        StringBuilder sb = new StringBuilder(await(later("s"))).append(await(later("t")));
        System.out.println(sb);
        int[][] grid = new int[await(later(2))][await(later(3))];
        System.out.println(grid.length + "x" + grid[0].length);
        Object[] mixed = {await(later("in")), new Box(await(later("array")))};
        System.out.println(mixed[0] + " " + mixed[1]);
        new Box(await(later("dropped")));
        new Box(await(later("wide")), await(later(7L)));
        new Box(new Box(await(later("nested"))).label, 2);
        for (int i = 0; i < 2; i++) {
            new Box("loop", await(later((long) i)));
        }
        return done();
    }
}
/* Expected output:
(1,2)
Box one
[one]
(3,4)-(5,6)
(1,2)-(7,8)
[u, v]
st
2x3
Box array
in [array]
Box dropped
Box wide 7
Box nested
Box nested 2
Box loop 0
Box loop 1
*/
