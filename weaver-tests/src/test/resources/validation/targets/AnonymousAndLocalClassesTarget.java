package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** @Async methods hosted by anonymous classes (one with its own state, one capturing a parameter) and by a local class. */
public class AnonymousAndLocalClassesTarget {
    interface Job {
        Coroutine<String> run(int n);
    }

    static final Job ANONYMOUS = new Job() {
        private int calls;

        @Async
        @Override
        public Coroutine<String> run(int n) {
            calls++;
            await(sleep(0.01));
            return result("anonymous " + n + " call " + calls);
        }
    };

    static Job local(String prefix) {
        class Prefixed implements Job {
            @Async
            @Override
            public Coroutine<String> run(int n) {
                String r = prefix + await(later(n));
                return result(r);
            }
        }
        return new Prefixed();
    }

    static Job anonymousCapturing(int factor) {
        return new Job() {
            @Async
            @Override
            public Coroutine<String> run(int n) {
                int v = await(later(n)) * factor;
                return result("captured " + v);
            }
        };
    }

    @Async
    public static Coroutine<?> main() {
        System.out.println(await(ANONYMOUS.run(1)));
        System.out.println(await(ANONYMOUS.run(2)));
        System.out.println(await(local("local-").run(3)));
        System.out.println(await(anonymousCapturing(10).run(4)));
        return done();
    }
}
/* Expected output:
anonymous 1 call 1
anonymous 2 call 2
local-3
captured 40
*/
