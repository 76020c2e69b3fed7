package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import java.util.List;

/** Switch on String with await as the selector and in case bodies, a hash collision, and a switch expression. */
public class StringSwitchTarget {
    @Async
    public static Coroutine<?> main() {
        for (String cmd : List.of("start", "stop", "other", "Aa", "BB")) {
            switch (await(later(cmd))) {
                case "start":
                    System.out.println("starting " + await(later(1)));
                    break;
                case "stop":
                    await(sleep(0.01));
                    System.out.println("stopping");
                    break;
                case "Aa":
                case "BB":
                    System.out.println("hash collision " + cmd);
                    break;
                default:
                    System.out.println("unknown " + await(later(cmd.length())));
            }
        }
        String kind = switch (await(later("b"))) {
            case "a" -> "first";
            case "b" -> await(later("second"));
            default -> "other";
        };
        System.out.println(kind);
        return done();
    }
}
/* Expected output:
starting 1
stopping
unknown 5
hash collision Aa
hash collision BB
second
*/
