package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** Switch on an enum (javac's switch-map class, ECJ's switch-table method) with await as the selector and in case bodies. */
public class EnumSwitchTarget {
    enum Color { RED, GREEN, BLUE }

    @Async
    public static Coroutine<?> main() {
        for (Color c : Color.values()) {
            switch (await(later(c))) {
                case RED:
                    System.out.println("red " + await(later(1)));
                    break;
                case GREEN:
                    System.out.println("green");
                    break;
                default:
                    System.out.println("other " + await(later(c.name().toLowerCase())));
            }
        }
        String s = switch (await(later(Color.GREEN))) {
            case RED -> "r";
            case GREEN -> await(later("g"));
            case BLUE -> "b";
        };
        System.out.println(s);
        return done();
    }
}
/* Expected output:
red 1
green
other blue
g
*/
