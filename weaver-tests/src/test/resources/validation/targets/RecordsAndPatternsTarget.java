package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Records and a sealed interface: instanceof patterns binding variables live across awaits, and an @Async method of a generic record. */
public class RecordsAndPatternsTarget {
    sealed interface Shape permits Circle, Square {
    }

    record Circle(double r) implements Shape {
    }

    record Square(double side) implements Shape {
    }

    record Pair<A, B>(A first, B second) {
        @Async
        Coroutine<String> show() {
            await(later(0));
            return result(first + "&" + second);
        }
    }

    @Async
    static Coroutine<Double> area(Shape s) {
        if (s instanceof Circle c) {
            double r = await(later(c.r()));
            return result(3 * r * r);
        } else if (s instanceof Square sq && await(later(sq.side())) > 0) {
            return result(sq.side() * sq.side());
        }
        return result(0.0);
    }

    @Async
    public static Coroutine<?> main() {
        System.out.println(await(area(new Circle(2))));
        System.out.println(await(area(new Square(3))));
        System.out.println(await(area(new Square(-1))));
        System.out.println(await(new Pair<>("x", 1).show()));
        return done();
    }
}
/* Expected output:
12.0
9.0
0.0
x&1
*/
